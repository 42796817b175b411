package io.github.kmsj.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ManualSchedulerTest {
  private static final Instant T0 = ClientFixtures.T0;

  @Test
  void advanceTo_dueTasks_runInTimeThenSchedulingOrderAtTheirOwnTime() {
    ManualScheduler s = new ManualScheduler(T0);
    List<String> ran = new ArrayList<>();
    s.schedule(T0.plusSeconds(20), now -> ran.add("b@" + Duration.between(T0, now).toSeconds()));
    s.schedule(T0.plusSeconds(10), now -> ran.add("a@" + Duration.between(T0, now).toSeconds()));
    s.schedule(T0.plusSeconds(20), now -> ran.add("c@" + Duration.between(T0, now).toSeconds()));
    s.schedule(T0.plusSeconds(30), now -> ran.add("late"));

    assertEquals(3, s.advanceTo(T0.plusSeconds(25)));

    assertEquals(List.of("a@10", "b@20", "c@20"), ran);
    assertEquals(T0.plusSeconds(25), s.instant());
    assertEquals(1, s.pending());
  }

  @Test
  void advanceTo_taskSchedulesAnother_runsItInTheSameStepWhenDue() {
    ManualScheduler s = new ManualScheduler(T0);
    List<Instant> ran = new ArrayList<>();
    s.schedule(
        T0,
        new java.util.function.Consumer<Instant>() {
          @Override
          public void accept(Instant now) {
            ran.add(now);
            s.schedule(now.plus(Duration.ofHours(2)), this);
          }
        });

    s.advanceBy(Duration.ofHours(5));

    assertEquals(List.of(T0, T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(4))), ran);
  }

  @Test
  void schedule_cancel_neverRuns() {
    ManualScheduler s = new ManualScheduler(T0);
    List<String> ran = new ArrayList<>();
    LifecycleScheduler.Cancellable c = s.schedule(T0.plusSeconds(1), now -> ran.add("x"));
    c.cancel();

    assertEquals(0, s.advanceBy(Duration.ofSeconds(2)));
    assertEquals(List.of(), ran);
  }

  @Test
  void schedule_inThePast_runsAtTheCurrentTime() {
    ManualScheduler s = new ManualScheduler(T0);
    List<Instant> ran = new ArrayList<>();
    s.schedule(T0.minusSeconds(60), ran::add);

    s.advanceTo(T0);

    assertEquals(List.of(T0), ran);
  }

  @Test
  void advanceTo_earlierTime_throws() {
    ManualScheduler s = new ManualScheduler(T0);
    assertThrows(IllegalArgumentException.class, () -> s.advanceTo(T0.minusNanos(1)));
  }
}
