package io.github.kmsj.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real time on one lazily started daemon thread. A task that throws is logged and, if it repeats,
 * keeps its schedule: a bad timer never silently stops the others.
 */
final class SystemScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);

  static final SystemScheduler INSTANCE = new SystemScheduler();

  private final Clock clock = Clock.systemUTC();
  private final ScheduledThreadPoolExecutor executor;

  private SystemScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, DaemonThreadFactory.named("kmsj-timer"));
    executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Instant instant() {
    return clock.instant();
  }

  @Override
  public long read() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    ScheduledFuture<?> f =
        executor.schedule(guard(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public Cancellable scheduleEvery(Duration initialDelay, Duration interval, Runnable task) {
    Objects.requireNonNull(task, "task");
    Scheduler.requireInterval(interval);
    ScheduledFuture<?> f =
        executor.scheduleWithFixedDelay(
            guard(task),
            Math.max(0, initialDelay.toNanos()),
            interval.toNanos(),
            TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  private static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("a scheduled task failed: {}", e.toString(), e);
      }
    };
  }

  @Override
  public String toString() {
    return "the system clock";
  }
}
