package io.github.kmsj.dns;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task now and then at a fixed interval, the timer {@link SrvPublisher} re-registers with.
 * Tests implement it to run the task by hand.
 */
@FunctionalInterface
public interface RepeatingScheduler {

  /**
   * Runs {@code task} as soon as possible and then every {@code interval} until cancelled.
   *
   * @return a handle that stops further runs
   */
  Cancellable schedule(Runnable task, Duration interval);

  /** A handle on a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /** Stops further runs; a run in progress completes. */
    void cancel();
  }

  /** Returns a scheduler running on {@code executor}, at a fixed delay between runs. */
  static RepeatingScheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (task, interval) -> {
      ScheduledFuture<?> f =
          executor.scheduleWithFixedDelay(task, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    };
  }
}
