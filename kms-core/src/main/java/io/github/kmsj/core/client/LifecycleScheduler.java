package io.github.kmsj.core.client;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link ClientLifecycle}'s timers: each task receives the time at which it runs, so the
 * state machine never reads a clock. {@link ManualScheduler} is stepped by hand; {@link #of} uses
 * real time.
 */
public interface LifecycleScheduler {

  /**
   * Runs {@code task} at {@code at} (at once when {@code at} has passed), giving it the time it
   * runs at.
   *
   * @return a handle that cancels the task
   */
  Cancellable schedule(Instant at, Consumer<Instant> task);

  /** A handle to a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run yet. */
    void cancel();
  }

  /**
   * A real-time scheduler on {@code executor} that reads {@code clock} for delays and task times.
   */
  static LifecycleScheduler of(ScheduledExecutorService executor, InstantSource clock) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(clock, "clock");
    return (at, task) -> {
      long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
      ScheduledFuture<?> f =
          executor.schedule(() -> task.accept(clock.instant()), delay, TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    };
  }
}
