package io.github.kmsj.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
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
 * Compares {@link ClientLedger} with a brute-force reference model of the documented semantics on
 * random request sequences, with retention and a record cap small enough to be exercised.
 */
final class ClientLedgerModelTest {

  private static final Guid[] APPS = {
    ClientLedgerTest.WINDOWS,
    ClientLedgerTest.OFFICE,
    Guid.parse("59a52881-a989-479d-af46-f275c6370663")
  };
  private static final long WINDOW_SECONDS = ClientLedger.ACTIVE_WINDOW.toSeconds();
  private static final long RETENTION_SECONDS = Duration.ofDays(45).toSeconds();
  private static final int MAX_CLIENTS = 70;

  /**
   * One request: application index, CMID number, N policy, and the clock step before it in seconds.
   */
  record Step(int app, int cmid, int policy, long stepSeconds) {}

  /** The semantics written as plainly as possible: every record in one map, scanned every time. */
  static final class Model {
    /** A record: last seen, arrival sequence (orders equal times), whether it holds a place. */
    static final class Rec {
      long lastSeen;
      long seq;
      boolean counted;
    }

    final Map<List<Integer>, Rec> records = new LinkedHashMap<>();
    final Map<Integer, Integer> highest = new HashMap<>();
    long latest = Long.MIN_VALUE;
    long seq;

    Tally record(int app, int cmid, int policy, long now) {
      latest = Math.max(latest, now);
      long t = latest;
      for (Map.Entry<List<Integer>, Rec> e : records.entrySet()) {
        if (e.getKey().get(0) == app && e.getValue().lastSeen + WINDOW_SECONDS <= t) {
          e.getValue().counted = false;
        }
      }
      int n = Math.max(highest.getOrDefault(app, 0), policy);
      highest.put(app, n);
      Rec r = records.computeIfAbsent(List.of(app, cmid), k -> new Rec());
      boolean isNew = !r.counted;
      r.counted = true;
      r.lastSeen = t;
      r.seq = seq++;
      Optional<Guid> evicted = Optional.empty();
      if (counted(app) > 2 * Math.max(n, 1)) {
        Map.Entry<List<Integer>, Rec> oldest =
            records.entrySet().stream()
                .filter(e -> e.getKey().get(0) == app && e.getValue().counted)
                .min(Comparator.comparingLong(e -> e.getValue().seq))
                .orElseThrow();
        oldest.getValue().counted = false;
        evicted = Optional.of(ClientLedgerTest.cmid(oldest.getKey().get(1)));
      }
      records.values().removeIf(x -> x.lastSeen + RETENTION_SECONDS <= t);
      while (records.size() > MAX_CLIENTS) {
        List<Integer> oldest =
            records.entrySet().stream()
                .min(Comparator.comparingLong(e -> e.getValue().seq))
                .orElseThrow()
                .getKey();
        records.remove(oldest);
      }
      return new Tally(counted(app), isNew, evicted);
    }

    int counted(int app) {
      return (int)
          records.entrySet().stream()
              .filter(e -> e.getKey().get(0) == app && e.getValue().counted)
              .count();
    }

    int currentCount(int app, long now) {
      long t = Math.max(now, latest);
      return (int)
          records.entrySet().stream()
              .filter(
                  e ->
                      e.getKey().get(0) == app
                          && e.getValue().counted
                          && e.getValue().lastSeen + WINDOW_SECONDS > t)
              .count();
    }
  }

  @Property(tries = 300)
  void apply_randomSequences_matchesReferenceModel(@ForAll("sequences") List<Step> steps) {
    ClientLedger ledger =
        new ClientLedger(new LedgerLimits(Duration.ofSeconds(RETENTION_SECONDS), MAX_CLIENTS));
    Model model = new Model();
    Instant origin = Instant.parse("2025-01-01T00:00:00Z");
    long now = 0;
    for (Step step : steps) {
      now += step.stepSeconds();
      Instant instant = origin.plusSeconds(now);

      Tally actual =
          ledger.apply(
              ClientLedgerTest.seen(
                  APPS[step.app()], ClientLedgerTest.cmid(step.cmid()), step.policy(), instant));

      assertEquals(
          model.record(step.app(), step.cmid(), step.policy(), now), actual, step.toString());
      assertEquals(model.records.size(), ledger.size());
      for (int app = 0; app < APPS.length; app++) {
        assertEquals(model.currentCount(app, now), ledger.count(APPS[app], instant));
        assertEquals(
            2 * Math.max(model.highest.getOrDefault(app, 0), 1), ledger.capacity(APPS[app]));
      }
    }
    ClientLedger restored = new ClientLedger(ledger.limits());
    restored.restore(ledger.state());
    assertEquals(ledger.state(), restored.state());
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
            Tuple.of(1, Arbitraries.just(1000)));
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
