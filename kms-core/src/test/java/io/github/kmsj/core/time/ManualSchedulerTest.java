package io.github.kmsj.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class ManualSchedulerTest {
  private static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");

  private final ManualScheduler s = new ManualScheduler(T0);

  private String at(String name) {
    return name + "@" + Duration.between(T0, s.instant()).toSeconds();
  }

  /**
   * The indexed heap against the rule itself: 2,000 one-shot tasks at random times (many ties), a
   * random third cancelled, some cancelled twice; the survivors run sorted by (due time, scheduling
   * order) and the cancelled never run.
   */
  @Test
  void cancel_randomThirdOfManyTasks_restRunInDueThenSchedulingOrder() {
    SplittableRandom random = new SplittableRandom(11);
    List<long[]> expected = new ArrayList<>();
    List<Long> ran = new ArrayList<>();
    List<Cancellable> handles = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      long due = random.nextInt(300);
      long id = i;
      handles.add(s.schedule(Duration.ofSeconds(due), () -> ran.add(id)));
      expected.add(new long[] {due, id});
    }
    List<long[]> survivors = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      if (random.nextInt(3) == 0) {
        handles.get(i).cancel();
        if (random.nextBoolean()) {
          handles.get(i).cancel();
        }
      } else {
        survivors.add(expected.get(i));
      }
    }
    survivors.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    assertEquals(survivors.size(), s.pending());
    s.advance(Duration.ofSeconds(300));
    assertEquals(survivors.stream().map(x -> x[1]).toList(), ran);
    assertEquals(0, s.pending());
  }

  @Test
  void advance_dueTasks_runInDueThenSchedulingOrderAtTheirOwnTime() {
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofSeconds(20), () -> ran.add(at("b")));
    s.schedule(Duration.ofSeconds(10), () -> ran.add(at("a")));
    s.schedule(Duration.ofSeconds(20), () -> ran.add(at("c")));
    s.scheduleAt(T0.plusSeconds(20), () -> ran.add(at("d")));
    s.schedule(Duration.ofSeconds(30), () -> ran.add("late"));

    assertEquals(4, s.advance(Duration.ofSeconds(25)));

    assertEquals(List.of("a@10", "b@20", "c@20", "d@20"), ran);
    assertEquals(T0.plusSeconds(25), s.instant());
    assertEquals(Duration.ofSeconds(25).toNanos(), s.read());
    assertEquals(1, s.pending());
  }

  @Test
  void advance_taskSchedulesAnother_runsItInTheSameStepWhenDue() {
    List<Instant> ran = new ArrayList<>();
    s.schedule(
        Duration.ZERO,
        new Runnable() {
          @Override
          public void run() {
            ran.add(s.instant());
            s.schedule(Duration.ofHours(2), this);
          }
        });

    assertEquals(3, s.advance(Duration.ofHours(5)));

    assertEquals(List.of(T0, T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(4))), ran);
    assertEquals(1, s.pending());
  }

  @Test
  void advance_taskSchedulesAnotherForNow_runsItAfterTheTasksAlreadyDue() {
    List<String> ran = new ArrayList<>();
    s.schedule(
        Duration.ofSeconds(1),
        () -> {
          ran.add("first");
          s.schedule(Duration.ZERO, () -> ran.add("scheduled by first"));
        });
    s.schedule(Duration.ofSeconds(1), () -> ran.add("second"));

    s.advance(Duration.ofSeconds(1));

    assertEquals(List.of("first", "second", "scheduled by first"), ran);
  }

  @Test
  void schedule_cancel_neverRuns() {
    List<String> ran = new ArrayList<>();
    Cancellable c = s.schedule(Duration.ofSeconds(1), () -> ran.add("x"));
    c.cancel();

    assertEquals(0, s.advance(Duration.ofSeconds(2)));
    assertEquals(List.of(), ran);
    assertEquals(0, s.pending());
  }

  @Test
  void schedule_cancelByAnEarlierTaskDueAtTheSameTime_neverRuns() {
    List<String> ran = new ArrayList<>();
    AtomicReference<Cancellable> later = new AtomicReference<>();
    s.schedule(Duration.ofSeconds(1), () -> later.get().cancel());
    later.set(s.schedule(Duration.ofSeconds(1), () -> ran.add("x")));

    assertEquals(1, s.advance(Duration.ofSeconds(1)));
    assertEquals(List.of(), ran);
  }

  @Test
  void schedule_negativeDelay_runsAtTheCurrentTime() {
    s.advance(Duration.ofMinutes(1));
    List<Instant> ran = new ArrayList<>();
    s.schedule(Duration.ofSeconds(-60), () -> ran.add(s.instant()));
    s.scheduleAt(T0, () -> ran.add(s.instant()));

    assertEquals(2, s.advance(Duration.ZERO));

    assertEquals(List.of(T0.plusSeconds(60), T0.plusSeconds(60)), ran);
  }

  @Test
  void scheduleEvery_interval_runsAfterTheInitialDelayThenEveryInterval() {
    List<String> ran = new ArrayList<>();
    s.scheduleEvery(Duration.ofSeconds(5), Duration.ofSeconds(10), () -> ran.add(at("r")));

    assertEquals(3, s.advance(Duration.ofSeconds(30)));

    assertEquals(List.of("r@5", "r@15", "r@25"), ran);
    assertEquals(1, s.pending());
  }

  @Test
  void scheduleEvery_cancelledInsideItsRun_neverRunsAgain() {
    AtomicInteger runs = new AtomicInteger();
    AtomicReference<Cancellable> self = new AtomicReference<>();
    self.set(
        s.scheduleEvery(
            Duration.ZERO,
            Duration.ofMinutes(1),
            () -> {
              if (runs.incrementAndGet() == 3) {
                self.get().cancel();
              }
            }));

    s.advance(Duration.ofHours(1));

    assertEquals(3, runs.get());
    assertEquals(0, s.pending());
  }

  @Test
  void scheduleEvery_cancelledBetweenRuns_stops() {
    AtomicInteger runs = new AtomicInteger();
    Cancellable c = s.scheduleEvery(Duration.ZERO, Duration.ofMinutes(1), runs::incrementAndGet);
    s.advance(Duration.ofMinutes(2));

    c.cancel();
    s.advance(Duration.ofHours(1));

    assertEquals(3, runs.get());
    assertEquals(0, s.pending());
  }

  @Test
  void scheduleEvery_nonPositiveInterval_throwsNamingTheInterval() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> s.scheduleEvery(Duration.ZERO, Duration.ZERO, () -> {}));
    assertTrue(e.getMessage().contains("interval"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> s.scheduleEvery(Duration.ZERO, Duration.ofSeconds(-1), () -> {}));
    assertEquals(0, s.pending());
  }

  @Test
  void stepClock_forward_movesTheWallClockButNotTheTickerOrTimers() {
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofHours(2), () -> ran.add("timer"));

    s.stepClock(Duration.ofHours(3));

    assertEquals(T0.plus(Duration.ofHours(3)), s.instant());
    assertEquals(0, s.read());
    assertEquals(0, s.advance(Duration.ZERO), "a wall-clock step runs nothing");
    assertEquals(List.of(), ran);
    s.advance(Duration.ofHours(2));
    assertEquals(List.of("timer"), ran);
    assertEquals(T0.plus(Duration.ofHours(5)), s.instant());
  }

  @Test
  void stepClock_back_scheduleAtMeasuresTheDelayFromTheSteppedClock() {
    s.stepClock(Duration.ofHours(-1));
    List<Long> ranAtTick = new ArrayList<>();

    s.scheduleAt(T0, () -> ranAtTick.add(s.read()));
    s.advance(Duration.ofHours(1));

    assertEquals(List.of(Duration.ofHours(1).toNanos()), ranAtTick);
    assertEquals(T0, s.instant());
  }

  @Test
  void advanceTo_laterTime_runsWhatIsDueAndSetsTheTime() {
    AtomicInteger runs = new AtomicInteger();
    s.schedule(Duration.ofDays(1), runs::incrementAndGet);

    assertEquals(1, s.advanceTo(T0.plus(Duration.ofDays(2))));

    assertEquals(T0.plus(Duration.ofDays(2)), s.instant());
    assertEquals(1, runs.get());
  }

  @Test
  void advanceTo_earlierTime_throws() {
    s.advance(Duration.ofSeconds(1));
    assertThrows(IllegalArgumentException.class, () -> s.advanceTo(T0));
    assertEquals(T0.plusSeconds(1), s.instant());
  }

  @Test
  void advance_negative_throws() {
    assertThrows(IllegalArgumentException.class, () -> s.advance(Duration.ofNanos(-1)));
    assertEquals(0, s.read());
  }

  /**
   * Four threads schedule and cancel while a fifth advances. A task is cancelled only while it is
   * far in the future (a year away, never reached during the race), so its cancel cannot lose to
   * its run; afterwards every task not cancelled has run exactly once, every cancelled one never,
   * and each at or after its due time, in non-decreasing time.
   */
  @Test
  void advance_whileOtherThreadsScheduleAndCancel_everyNonCancelledTaskRunsExactlyOnce()
      throws Exception {
    int producers = 4;
    int perProducer = 2_000;
    int tasks = producers * perProducer;
    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
    AtomicIntegerArray early = new AtomicIntegerArray(tasks);
    boolean[] cancelled = new boolean[tasks];
    AtomicLong lastTick = new AtomicLong();
    AtomicInteger backwards = new AtomicInteger();
    AtomicBoolean producing = new AtomicBoolean(true);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(producers + 1);
    try {
      Future<Integer> advancer =
          threads.submit(
              () -> {
                go.await();
                int ran = 0;
                while (producing.get()) {
                  ran += s.advance(Duration.ofMillis(1));
                }
                return ran;
              });
      List<Future<?>> work = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int first = p * perProducer;
        SplittableRandom random = new SplittableRandom(p);
        work.add(
            threads.submit(
                () -> {
                  go.await();
                  List<Cancellable> farAway = new ArrayList<>();
                  for (int i = first; i < first + perProducer; i++) {
                    int id = i;
                    boolean cancel = random.nextInt(3) == 0;
                    Duration delay =
                        cancel
                            ? Duration.ofDays(365).plusMillis(random.nextInt(1_000))
                            : Duration.ofMillis(random.nextInt(50));
                    long due = s.read() + delay.toNanos();
                    Cancellable c =
                        s.schedule(
                            delay,
                            () -> {
                              long now = s.read();
                              if (now < due) {
                                early.incrementAndGet(id);
                              }
                              if (now < lastTick.getAndSet(now)) {
                                backwards.incrementAndGet();
                              }
                              runs.incrementAndGet(id);
                            });
                    if (cancel) {
                      cancelled[id] = true;
                      farAway.add(c);
                      if (farAway.size() == 8) {
                        farAway.forEach(Cancellable::cancel);
                        farAway.clear();
                      }
                    }
                  }
                  farAway.forEach(Cancellable::cancel);
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : work) {
        f.get(30, TimeUnit.SECONDS);
      }
      producing.set(false);
      int ranWhileRacing = advancer.get(30, TimeUnit.SECONDS);

      int ranAfter = s.advance(Duration.ofDays(400));

      int expected = 0;
      for (int i = 0; i < tasks; i++) {
        int want = cancelled[i] ? 0 : 1;
        expected += want;
        assertEquals(want, runs.get(i), "task " + i + (cancelled[i] ? " (cancelled)" : ""));
        assertEquals(0, early.get(i), "task " + i + " ran before it was due");
      }
      assertEquals(expected, ranWhileRacing + ranAfter);
      assertTrue(expected > tasks / 2, "most tasks were kept: " + expected);
      assertEquals(0, backwards.get(), "tasks saw the ticker go back");
      assertEquals(0, s.pending());
    } finally {
      threads.shutdownNow();
    }
  }
}
