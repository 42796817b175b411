package io.github.kmsj.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real-time scheduler adapter, with a fixed clock so that delays are exact. */
final class LifecycleSchedulerTest {
  private static final Instant T0 = Instant.parse("2026-11-23T06:00:00Z");
  private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void shutdown() {
    executor.shutdownNow();
  }

  @Test
  void of_dueTask_runsWithTheClocksTime() throws Exception {
    BlockingQueue<Instant> ran = new ArrayBlockingQueue<>(1);
    LifecycleScheduler scheduler = LifecycleScheduler.of(executor, InstantSource.fixed(T0));
    scheduler.schedule(T0.minus(Duration.ofMinutes(5)), ran::add);
    assertEquals(
        T0,
        ran.poll(5, TimeUnit.SECONDS),
        "a task already due runs at once, told the clock's time");
  }

  @Test
  void of_futureTask_isDelayedByTheDifferenceAndCancellable() {
    executor.setRemoveOnCancelPolicy(true);
    LifecycleScheduler scheduler = LifecycleScheduler.of(executor, InstantSource.fixed(T0));
    LifecycleScheduler.Cancellable task = scheduler.schedule(T0.plus(Duration.ofHours(2)), t -> {});
    long delayMs =
        executor.getQueue().iterator().next() instanceof java.util.concurrent.Delayed d
            ? d.getDelay(TimeUnit.MILLISECONDS)
            : -1;
    assertTrue(
        delayMs > Duration.ofHours(2).toMillis() - 60_000
            && delayMs <= Duration.ofHours(2).toMillis(),
        "delay " + delayMs);
    task.cancel();
    assertTrue(executor.getQueue().isEmpty(), "cancel removes the task");
  }
}
