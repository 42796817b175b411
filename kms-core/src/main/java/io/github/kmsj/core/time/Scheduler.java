package io.github.kmsj.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The one source of time in kms-core: a wall clock ({@link #instant()}), a {@link Ticker} on the
 * same time base as the delays, and one-shot and repeating timers. Host, server (idle timeouts,
 * accept back-off), store (group commit window), client lifecycle and DNS re-registration all take
 * one, so a test or a simulator replaces real time everywhere with one {@link ManualScheduler}.
 *
 * <p>Tasks must be short: they run on the scheduler's own thread (or, for a {@link
 * ManualScheduler}, on the thread that advances it) and typically hand work to another thread.
 * Implementations are thread-safe.
 */
public interface Scheduler extends InstantSource, Ticker {

  /**
   * Runs {@code task} once after {@code delay} (at once when it is zero or negative).
   *
   * @return a handle that cancels the task
   */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Runs {@code task} after {@code initialDelay} and then every {@code interval} after the end of
   * the previous run, until cancelled.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  Cancellable scheduleEvery(Duration initialDelay, Duration interval, Runnable task);

  /**
   * Runs {@code task} once when the wall clock reaches {@code at} (at once when it has passed). The
   * delay is measured from now, so a later step of the wall clock does not move the run.
   */
  default Cancellable scheduleAt(Instant at, Runnable task) {
    Objects.requireNonNull(at, "at");
    return schedule(Duration.between(instant(), at), task);
  }

  /**
   * The real clock: {@link java.time.Clock#systemUTC()}, {@link System#nanoTime()} and one shared
   * daemon timer thread, {@code kmsj-timer}.
   */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /** Checks that a repeat interval is positive. */
  static Duration requireInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    return interval;
  }
}
