package io.github.kmsj.core.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable view of a {@link ClientLifecycle}.
 *
 * @param state the licence state
 * @param stateEnds when grace ({@link LifecycleState#OOB_GRACE}, {@link LifecycleState#OOT_GRACE})
 *     or validity ({@link LifecycleState#LICENSED}) runs out; empty in {@link
 *     LifecycleState#NOTIFICATION}
 * @param nextAttempt when the next activation or renewal attempt is due; empty before start
 * @param activationInterval the retry interval in use (the host's, once one answered; 2 h before)
 * @param renewalInterval the renewal interval in use (the host's, once one answered; 7 days before)
 * @param lastAttempt when the last attempt ran
 * @param lastResult the last attempt's outcome
 * @param attempts how many attempts ran
 */
public record LifecycleSnapshot(
    LifecycleState state,
    Optional<Instant> stateEnds,
    Optional<Instant> nextAttempt,
    Duration activationInterval,
    Duration renewalInterval,
    Optional<Instant> lastAttempt,
    Optional<ActivationResult> lastResult,
    long attempts) {

  /** Null checks. */
  public LifecycleSnapshot {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stateEnds, "stateEnds");
    Objects.requireNonNull(nextAttempt, "nextAttempt");
    Objects.requireNonNull(activationInterval, "activationInterval");
    Objects.requireNonNull(renewalInterval, "renewalInterval");
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    Objects.requireNonNull(lastResult, "lastResult");
  }

  /**
   * The {@code bindingExpiration} a client sends at {@code now}: whole minutes left in its state, 0
   * if none.
   */
  public int bindingExpirationMinutes(Instant now) {
    return stateEnds
        .map(end -> Duration.between(now, end).toMinutes())
        .map(m -> (int) Math.max(0, Math.min(Integer.MAX_VALUE, m)))
        .orElse(0);
  }
}
