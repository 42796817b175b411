package io.github.kmsj.core.client;

import io.github.kmsj.core.time.Cancellable;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The licence state machine a KMS client runs: out-of-box grace, licensed, notification, with
 * Microsoft's periods and the intervals the host returns (docs/PROTOCOL.md §10). Time is a
 * parameter: timers run on a {@link Scheduler} and each task reads the time once from it, so a
 * {@link io.github.kmsj.core.time.ManualScheduler} can run a year of a client in milliseconds.
 * Attempts go through an {@link ActivationAttempt}.
 *
 * <p>The rules, with Microsoft's numbers ("Key Management Services (KMS) activation planning",
 * Microsoft Learn; TechNet "Understanding KMS"):
 *
 * <ul>
 *   <li>A new client is in <b>out-of-box grace</b> for 30 days and tries at once, then every
 *       <i>activation interval</i>: 120 minutes until a host has said otherwise.
 *   <li>A verified answer with a count at or above the client's N policy makes it <b>licensed</b>
 *       for 180 days from that answer. It renews every <i>renewal interval</i> (7 days until a host
 *       says otherwise); each successful renewal restarts the 180 days.
 *   <li>Any answer from a host (activated or below threshold) sets both intervals to the host's
 *       values, bounded to what a host can be configured with: 15 minutes to 30 days ({@code slmgr
 *       /sai}, {@code /sri}), so a zero from a broken host cannot make the client spin.
 *   <li>Every attempt that does not activate (count below N, {@code 0xC004F038}; a refusal; no
 *       host) is retried after the activation interval, in every state: a licensed client whose
 *       renewal fails keeps its licence and retries every activation interval.
 *   <li>When grace runs out without activation, or 180 days pass without a successful renewal, the
 *       client enters <b>notification</b> and keeps retrying at the activation interval; an
 *       activation licenses it again.
 *   <li>A {@linkplain #hardwareChanged hardware change} beyond tolerance voids the activation: the
 *       client enters <b>out-of-tolerance grace</b> for 30 days and tries at once, then every
 *       activation interval, exactly as in out-of-box grace ("Volume Activation technical
 *       reference", Microsoft Learn: OOT grace, 30 days for KMS clients).
 * </ul>
 *
 * <p>Thread-safe: every step runs under the instance lock; listeners are called under it too, so
 * they must not call back into a real-time scheduler that waits for this lifecycle.
 */
public final class ClientLifecycle {
  /** The out-of-box (and out-of-tolerance) grace period: 30 days. */
  public static final Duration GRACE_PERIOD = Duration.ofDays(30);

  /** How long an activation stays valid without renewal: 180 days. */
  public static final Duration ACTIVATION_VALIDITY = Duration.ofDays(180);

  /** The retry interval before a host has set one: 120 minutes. */
  public static final Duration DEFAULT_ACTIVATION_INTERVAL = Duration.ofMinutes(120);

  /** The renewal interval before a host has set one: 10080 minutes (7 days). */
  public static final Duration DEFAULT_RENEWAL_INTERVAL = Duration.ofMinutes(10_080);

  /** The shortest interval a host may set: 15 minutes. */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(15);

  /** The longest interval a host may set: 30 days. */
  public static final Duration MAX_INTERVAL = Duration.ofDays(30);

  private static final Logger LOG = LoggerFactory.getLogger(ClientLifecycle.class);

  private final ActivationAttempt attempt;
  private final Scheduler scheduler;
  private final Executor attemptRunner;

  /**
   * Where attempts run on the real clock: a blocking network attempt (up to its timeouts) must not
   * hold the one shared timer thread of {@link Scheduler#system()}, which also runs the server's
   * and the store's timers.
   */
  private static final class SystemAttempts {
    static final Executor EXECUTOR =
        Executors.newCachedThreadPool(DaemonThreadFactory.numbered("kmsj-client-attempt"));
  }

  private final List<LifecycleListener> listeners;
  private final Duration gracePeriod;
  private final Duration activationValidity;

  private boolean started;
  private LifecycleState state = LifecycleState.OOB_GRACE;
  private Instant stateEnds;
  private Instant nextAttempt;
  private Duration activationInterval = DEFAULT_ACTIVATION_INTERVAL;
  private Duration renewalInterval = DEFAULT_RENEWAL_INTERVAL;
  private Instant lastAttempt;
  private ActivationResult lastResult;
  private long attempts;
  private Cancellable attemptTask;
  private Cancellable periodTask;

  private ClientLifecycle(Builder b) {
    this.attempt = b.attempt;
    this.scheduler = b.scheduler;
    this.attemptRunner =
        b.attempts != null
            ? b.attempts
            : b.scheduler == Scheduler.system() ? SystemAttempts.EXECUTOR : Runnable::run;
    this.listeners = List.copyOf(b.listeners);
    this.gracePeriod = b.gracePeriod;
    this.activationValidity = b.activationValidity;
  }

  /** A builder; the attempt function and the scheduler are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts out-of-box grace at {@code now} and schedules the first attempt for {@code now}.
   *
   * @throws IllegalStateException when already started
   */
  public synchronized void start(Instant now) {
    Objects.requireNonNull(now, "now");
    if (started) {
      throw new IllegalStateException("the lifecycle has already started");
    }
    started = true;
    state = LifecycleState.OOB_GRACE;
    stateEnds = now.plus(gracePeriod);
    schedulePeriodEnd(stateEnds);
    scheduleAttempt(now);
  }

  /**
   * The hardware changed beyond tolerance at {@code now}: a licensed client loses its activation
   * and enters out-of-tolerance grace for the grace period. In every state the client then attempts
   * at once; an unlicensed client (in grace or notification) keeps its state and deadline.
   *
   * @throws IllegalStateException when not started
   */
  public synchronized void hardwareChanged(Instant now) {
    Objects.requireNonNull(now, "now");
    if (!started) {
      throw new IllegalStateException("the lifecycle has not started");
    }
    if (state == LifecycleState.LICENSED) {
      stateEnds = now.plus(gracePeriod);
      schedulePeriodEnd(stateEnds);
      transition(
          now, LifecycleState.OOT_GRACE, "the hardware changed beyond tolerance", Optional.empty());
    }
    scheduleAttempt(now);
  }

  /** Cancels the pending attempt and period timers; the state stays as it is. */
  public synchronized void stop() {
    cancel(attemptTask);
    cancel(periodTask);
    attemptTask = null;
    periodTask = null;
    nextAttempt = null;
  }

  /** The current state. */
  public synchronized LifecycleState state() {
    return state;
  }

  /** When the next attempt is due, while the lifecycle runs. */
  public synchronized Optional<Instant> nextAttempt() {
    return Optional.ofNullable(nextAttempt);
  }

  /** The last attempt's outcome. */
  public synchronized Optional<ActivationResult> lastResult() {
    return Optional.ofNullable(lastResult);
  }

  /** Everything at once, consistently. */
  public synchronized LifecycleSnapshot snapshot() {
    return new LifecycleSnapshot(
        state,
        Optional.ofNullable(stateEnds),
        Optional.ofNullable(nextAttempt),
        activationInterval,
        renewalInterval,
        Optional.ofNullable(lastAttempt),
        Optional.ofNullable(lastResult),
        attempts);
  }

  private synchronized void runAttempt(Instant now) {
    attemptTask = null;
    LifecycleSnapshot before = snapshot();
    ActivationResult result;
    try {
      result = Objects.requireNonNull(attempt.attempt(now, before), "the attempt returned null");
    } catch (RuntimeException e) {
      result =
          new ActivationResult.TransportFailure(
              Stage.REQUEST,
              "attempt",
              "the activation attempt threw: " + e,
              Optional.of(e),
              List.of(),
              Optional.empty(),
              StageTimings.ZERO);
    }
    attempts++;
    lastAttempt = now;
    lastResult = result;
    if (result instanceof ActivationResult.Activated a) {
      useHostIntervals(a.activationInterval(), a.renewalInterval());
    } else if (result instanceof ActivationResult.BelowThreshold b) {
      useHostIntervals(b.activationInterval(), b.renewalInterval());
    }
    Instant next;
    if (result.isActivated()) {
      stateEnds = now.plus(activationValidity);
      schedulePeriodEnd(stateEnds);
      next = now.plus(renewalInterval);
      if (state != LifecycleState.LICENSED) {
        transition(
            now,
            LifecycleState.LICENSED,
            "activated with count " + ((ActivationResult.Activated) result).currentClientCount(),
            Optional.of(result));
      }
    } else {
      next = now.plus(activationInterval);
    }
    scheduleAttempt(next);
    for (LifecycleListener l : listeners) {
      try {
        l.onAttempt(now, result, next);
      } catch (RuntimeException e) {
        LOG.warn("lifecycle listener {} failed on an attempt", l, e);
      }
    }
  }

  private synchronized void runPeriodEnd(Instant now) {
    periodTask = null;
    if (state == LifecycleState.NOTIFICATION) {
      return;
    }
    String reason =
        state == LifecycleState.OOB_GRACE
            ? "the " + gracePeriod.toDays() + "-day grace period ended without activation"
            : state == LifecycleState.OOT_GRACE
                ? "the "
                    + gracePeriod.toDays()
                    + "-day out-of-tolerance grace period ended without activation"
                : activationValidity.toDays() + " days passed without a successful renewal";
    stateEnds = null;
    transition(now, LifecycleState.NOTIFICATION, reason, Optional.empty());
  }

  private void useHostIntervals(Duration activation, Duration renewal) {
    activationInterval = bound(activation);
    renewalInterval = bound(renewal);
  }

  private static Duration bound(Duration d) {
    return d.compareTo(MIN_INTERVAL) < 0
        ? MIN_INTERVAL
        : d.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : d;
  }

  private void transition(
      Instant now, LifecycleState to, String reason, Optional<ActivationResult> cause) {
    LifecycleTransition t = new LifecycleTransition(now, state, to, reason, cause);
    state = to;
    for (LifecycleListener l : listeners) {
      try {
        l.onTransition(t);
      } catch (RuntimeException e) {
        LOG.warn("lifecycle listener {} failed on {}", l, t, e);
      }
    }
  }

  private void scheduleAttempt(Instant at) {
    cancel(attemptTask);
    nextAttempt = at;
    attemptTask =
        scheduler.scheduleAt(
            at,
            () -> {
              Instant now = scheduler.instant();
              attemptRunner.execute(() -> runAttempt(now));
            });
  }

  private void schedulePeriodEnd(Instant at) {
    cancel(periodTask);
    periodTask = scheduler.scheduleAt(at, () -> runPeriodEnd(scheduler.instant()));
  }

  private static void cancel(Cancellable task) {
    if (task != null) {
      task.cancel();
    }
  }

  /** Settings of a {@link ClientLifecycle}, validated in {@link #build()}. */
  public static final class Builder {
    private ActivationAttempt attempt;
    private Scheduler scheduler;
    private Executor attempts;
    private final List<LifecycleListener> listeners = new ArrayList<>();
    private Duration gracePeriod = GRACE_PERIOD;
    private Duration activationValidity = ACTIVATION_VALIDITY;

    private Builder() {}

    /** How attempts are made (required). */
    public Builder attempt(ActivationAttempt attempt) {
      this.attempt = Objects.requireNonNull(attempt, "attempt");
      return this;
    }

    /**
     * Where timers run and the time they read (required): {@link Scheduler#system()} for real time,
     * a {@link io.github.kmsj.core.time.ManualScheduler} in tests and simulators.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Where each attempt runs once due; default: on the scheduler's own thread for a {@code
     * ManualScheduler} (deterministic), on a shared pool of daemon threads for {@link
     * Scheduler#system()} (a network attempt blocks).
     */
    public Builder attemptExecutor(Executor executor) {
      this.attempts = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Adds a listener; a listener that throws is logged and skipped. */
    public Builder listener(LifecycleListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The out-of-box and out-of-tolerance grace period; default 30 days. */
    public Builder gracePeriod(Duration period) {
      this.gracePeriod = Objects.requireNonNull(period, "gracePeriod");
      return this;
    }

    /** How long an activation stays valid; default 180 days. */
    public Builder activationValidity(Duration validity) {
      this.activationValidity = Objects.requireNonNull(validity, "activationValidity");
      return this;
    }

    /**
     * The lifecycle, not yet started.
     *
     * @throws IllegalStateException when the attempt or scheduler is missing
     * @throws IllegalArgumentException when a period is not positive
     */
    public ClientLifecycle build() {
      if (attempt == null) {
        throw new IllegalStateException("attempt must be set");
      }
      if (scheduler == null) {
        throw new IllegalStateException("scheduler must be set");
      }
      if (gracePeriod.isNegative() || gracePeriod.isZero()) {
        throw new IllegalArgumentException("gracePeriod must be positive: " + gracePeriod);
      }
      if (activationValidity.isNegative() || activationValidity.isZero()) {
        throw new IllegalArgumentException(
            "activationValidity must be positive: " + activationValidity);
      }
      return new ClientLifecycle(this);
    }
  }
}
