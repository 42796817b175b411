package io.github.kmsj.core.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of a {@link ClientLifecycle}'s state.
 *
 * @param at when it happened
 * @param from the state before
 * @param to the state after
 * @param reason why, one sentence
 * @param cause the attempt that caused it; empty when a period ran out
 */
public record LifecycleTransition(
    Instant at,
    LifecycleState from,
    LifecycleState to,
    String reason,
    Optional<ActivationResult> cause) {
  /** Null checks. */
  public LifecycleTransition {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(cause, "cause");
  }
}
