package io.github.kmsj.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The real scheduler, with bounded waits only. "It did not run" is shown by a fence: a later task
 * on the same single timer thread, which runs only after every earlier-due task has had its turn.
 */
final class SystemSchedulerTest {
  private static final long WAIT_SECONDS = 10;

  private final Scheduler s = Scheduler.system();

  /** Waits for a task due {@code delay} from now, so every task due before it has run. */
  private void fence(Duration delay) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    s.schedule(delay, done::countDown);
    assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "the fence ran");
  }

  @Test
  void system_calledTwice_isOneScheduler() {
    assertSame(Scheduler.system(), Scheduler.system());
  }

  @Test
  void instant_isTheSystemClockAndReadIsMonotonic() {
    Instant before = Clock.systemUTC().instant();
    Instant now = s.instant();
    Instant after = Clock.systemUTC().instant();
    long t1 = s.read();
    long t2 = s.read();

    assertFalse(now.isBefore(before) || now.isAfter(after), now + " not in " + before);
    assertTrue(t2 - t1 >= 0);
  }

  @Test
  void schedule_zeroDelay_runsOnTheDaemonTimerThread() throws Exception {
    BlockingQueue<Thread> ran = new ArrayBlockingQueue<>(1);
    s.schedule(Duration.ZERO, () -> ran.add(Thread.currentThread()));

    Thread t = ran.poll(WAIT_SECONDS, TimeUnit.SECONDS);

    assertNotNull(t, "the task ran");
    assertEquals("kmsj-timer", t.getName());
    assertTrue(t.isDaemon());
  }

  @Test
  void schedule_delay_runsNoEarlierThanTheDelay() throws Exception {
    Duration delay = Duration.ofMillis(50);
    BlockingQueue<Long> ran = new ArrayBlockingQueue<>(1);
    long start = s.read();
    s.schedule(delay, () -> ran.add(s.read()));

    Long at = ran.poll(WAIT_SECONDS, TimeUnit.SECONDS);

    assertNotNull(at, "the task ran");
    assertTrue(at - start >= delay.toNanos(), "ran after " + (at - start) + " ns");
  }

  @Test
  void scheduleAt_passedInstant_runsAtOnce() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    s.scheduleAt(s.instant().minus(Duration.ofMinutes(5)), ran::countDown);
    assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void scheduleAt_futureInstant_runsNoEarlier() throws Exception {
    BlockingQueue<Instant> ran = new ArrayBlockingQueue<>(1);
    Instant at = s.instant().plusMillis(50);
    s.scheduleAt(at, () -> ran.add(s.instant()));

    Instant when = ran.poll(WAIT_SECONDS, TimeUnit.SECONDS);

    assertNotNull(when, "the task ran");
    assertFalse(when.isBefore(at), when + " is before " + at);
  }

  @Test
  void schedule_cancelledBeforeDue_neverRuns() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    Cancellable c = s.schedule(Duration.ofMillis(30), () -> ran.set(true));

    c.cancel();
    fence(Duration.ofMillis(60));

    assertFalse(ran.get());
  }

  @Test
  void scheduleEvery_cancelledInItsThirdRun_runsExactlyThreeTimes() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(1);
    CompletableFuture<Cancellable> self = new CompletableFuture<>();
    self.complete(
        s.scheduleEvery(
            Duration.ZERO,
            Duration.ofMillis(5),
            () -> {
              if (runs.incrementAndGet() == 3) {
                self.join().cancel();
                third.countDown();
              }
            }));

    assertTrue(third.await(WAIT_SECONDS, TimeUnit.SECONDS), "three runs");
    fence(Duration.ofMillis(30));

    assertEquals(3, runs.get());
  }

  @Test
  void scheduleEvery_taskThrows_keepsItsScheduleAndOtherTasksRun() throws Exception {
    CountDownLatch threeFailures = new CountDownLatch(3);
    Cancellable c =
        s.scheduleEvery(
            Duration.ZERO,
            Duration.ofMillis(5),
            () -> {
              threeFailures.countDown();
              throw new IllegalStateException("a failing timer (expected in this test)");
            });
    try {
      assertTrue(threeFailures.await(WAIT_SECONDS, TimeUnit.SECONDS), "ran three times");
      fence(Duration.ZERO);
    } finally {
      c.cancel();
    }
  }

  @Test
  void scheduleEvery_nonPositiveInterval_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () -> s.scheduleEvery(Duration.ZERO, Duration.ZERO, () -> {}));
  }
}
