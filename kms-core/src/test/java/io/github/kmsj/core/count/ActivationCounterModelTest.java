package io.github.kmsj.core.count;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Compares {@link ActivationCounter} with a brute-force reference model on random request
 * sequences.
 */
final class ActivationCounterModelTest {

  private static final Guid[] APPS = {
    ActivationCounterTest.WINDOWS,
    ActivationCounterTest.OFFICE,
    Guid.parse("59a52881-a989-479d-af46-f275c6370663")
  };
  private static final long WINDOW_SECONDS = ActivationCounter.ACTIVE_WINDOW.toSeconds();

  /**
   * One request: application index, CMID number, N policy, and the clock step before it in seconds.
   */
  record Step(int app, int cmid, int policy, long stepSeconds) {}

  /**
   * The documented semantics written as plainly as possible: a map per application, scanned every
   * time.
   */
  static final class Model {
    /** lastSeen seconds and a sequence number that orders equal times by arrival. */
    record Seen(long lastSeen, long seq) {}

    final Map<Integer, Map<Integer, Seen>> tables = new HashMap<>();
    final Map<Integer, Integer> highest = new HashMap<>();
    final Map<Integer, Long> latest = new HashMap<>();
    long seq;

    long advance(int app, long now) {
      long t = Math.max(now, latest.getOrDefault(app, Long.MIN_VALUE));
      latest.put(app, t);
      return t;
    }

    void expire(int app, long t) {
      tables.get(app).values().removeIf(s -> s.lastSeen() + WINDOW_SECONDS <= t);
    }

    CountResult record(int app, int cmid, int policy, long now) {
      if (policy < 0 || policy > 1000) {
        return new CountResult.PolicyTooHigh(Integer.toUnsignedLong(policy));
      }
      Map<Integer, Seen> table = tables.computeIfAbsent(app, a -> new LinkedHashMap<>());
      long t = advance(app, now);
      expire(app, t);
      int n = Math.max(highest.getOrDefault(app, 0), policy);
      highest.put(app, n);
      boolean isNew = table.put(cmid, new Seen(t, seq++)) == null;
      Optional<Guid> evicted = Optional.empty();
      if (table.size() > 2 * Math.max(n, 1)) {
        int oldest =
            table.entrySet().stream()
                .min((a, b) -> Long.compare(a.getValue().seq(), b.getValue().seq()))
                .orElseThrow()
                .getKey();
        table.remove(oldest);
        evicted = Optional.of(ActivationCounterTest.cmid(oldest));
      }
      return new CountResult.Counted(table.size(), isNew, evicted);
    }

    int currentCount(int app, long now) {
      if (!tables.containsKey(app)) {
        return 0;
      }
      expire(app, advance(app, now));
      return tables.get(app).size();
    }
  }

  @Property(tries = 300)
  void record_randomSequences_matchesReferenceModel(@ForAll("sequences") List<Step> steps) {
    ActivationCounter counter = new ActivationCounter();
    Model model = new Model();
    Instant origin = Instant.parse("2025-01-01T00:00:00Z");
    long now = 0;
    for (Step step : steps) {
      now += step.stepSeconds();
      Instant instant = origin.plusSeconds(now);

      CountResult actual =
          counter.record(
              APPS[step.app()], ActivationCounterTest.cmid(step.cmid()), step.policy(), instant);

      assertEquals(
          model.record(step.app(), step.cmid(), step.policy(), now), actual, step.toString());
      for (int app = 0; app < APPS.length; app++) {
        assertEquals(model.currentCount(app, now), counter.currentCount(APPS[app], instant));
        assertEquals(
            2 * Math.max(model.highest.getOrDefault(app, 0), 1), counter.capacity(APPS[app]));
      }
    }
  }

  @Provide
  Arbitrary<List<Step>> sequences() {
    Arbitrary<Integer> app =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(0)),
            Tuple.of(3, Arbitraries.just(1)),
            Tuple.of(1, Arbitraries.just(2)));
    Arbitrary<Integer> cmid = Arbitraries.integers().between(0, 60);
    Arbitrary<Integer> policy =
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.just(5)),
            Tuple.of(4, Arbitraries.just(25)),
            Tuple.of(2, Arbitraries.integers().between(0, 30)),
            Tuple.of(1, Arbitraries.of(1000, 1001, -1, Integer.MIN_VALUE)));
    long day = Duration.ofDays(1).toSeconds();
    Arbitrary<Long> step =
        Arbitraries.of(
            0L,
            0L,
            1L,
            60L,
            3600L,
            day,
            3 * day,
            10 * day,
            29 * day,
            WINDOW_SECONDS - 1,
            WINDOW_SECONDS,
            31 * day,
            -day,
            -40 * day);
    return Combinators.combine(app, cmid, policy, step).as(Step::new).list().ofMaxSize(400);
  }
}
