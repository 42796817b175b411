package io.github.kmsj.core.ledger;

import static io.github.kmsj.core.ledger.ClientLedgerTest.WINDOWS;
import static io.github.kmsj.core.ledger.ClientLedgerTest.cmid;
import static io.github.kmsj.core.ledger.ClientLedgerTest.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link CountForecast} on a manual clock, checked against the ledger itself: the day it names is
 * the day the host's own count drops below the threshold.
 */
final class CountForecastTest {
  private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");
  private final ManualScheduler time = new ManualScheduler(T0);
  private final ClientLedger ledger = new ClientLedger();

  /** Client i seen on day i (i = 1..n), at noon. */
  private void clientsOnDays(int n) {
    for (int i = 1; i <= n; i++) {
      ledger.apply(seen(WINDOWS, cmid(i), 25, T0.plus(Duration.ofDays(i)).plusSeconds(43_200)));
    }
  }

  @Test
  void forecast_worstCase_dayMatchesTheLedgersOwnCount() {
    clientsOnDays(27);
    time.advanceTo(T0.plus(Duration.ofDays(28)));
    Instant now = time.instant();

    CountForecast.ApplicationForecast f =
        CountForecast.forecast(ledger.state(), now, List.of(25, 5), Duration.ZERO).get(0);

    assertEquals(27, f.count());
    CountForecast.Threshold t25 = f.thresholds().get(0);
    // Below 25 once 3 have expired: client 3, seen on day 3 at noon, expires on day 33 at noon.
    Instant expected = T0.plus(Duration.ofDays(33)).plusSeconds(43_200);
    assertEquals(Optional.of(expected), t25.fallsBelowAt());
    assertEquals(Optional.of(LocalDate.parse("2025-07-04")), t25.fallsBelowOn());
    assertEquals(25, ledger.count(WINDOWS, expected.minusNanos(1)));
    assertEquals(24, ledger.count(WINDOWS, expected), "the ledger agrees with the forecast");
    CountForecast.Threshold t5 = f.thresholds().get(1);
    assertEquals(Optional.of(T0.plus(Duration.ofDays(53)).plusSeconds(43_200)), t5.fallsBelowAt());
    assertEquals(4, ledger.count(WINDOWS, t5.fallsBelowAt().get()));
  }

  @Test
  void forecast_renewingClientsKept_neverBelowWhenEnoughRenew() {
    clientsOnDays(30);
    time.advanceTo(T0.plus(Duration.ofDays(31)));
    // Seen within 7 days: clients 24..30, seven of them, keep renewing.
    CountForecast.ApplicationForecast f =
        CountForecast.forecast(ledger.state(), time.instant(), List.of(25, 5), Duration.ofDays(7))
            .get(0);
    assertEquals(30, f.count());
    assertEquals(7, f.renewing());
    assertTrue(f.thresholds().get(1).fallsBelowAt().isEmpty(), "7 renewing >= 5");
    assertEquals(false, f.thresholds().get(1).alreadyBelow());
    // 25: below once 6 of the 23 others expired; the 6th (client 6) expires on day 36 at noon.
    assertEquals(
        Optional.of(T0.plus(Duration.ofDays(36)).plusSeconds(43_200)),
        f.thresholds().get(0).fallsBelowAt());
  }

  @Test
  void forecast_alreadyBelow_saysSo() {
    clientsOnDays(3);
    CountForecast.Threshold t =
        CountForecast.forecast(
                ledger.state(), T0.plus(Duration.ofDays(4)), List.of(5), Duration.ZERO)
            .get(0)
            .thresholds()
            .get(0);
    assertTrue(t.alreadyBelow());
    assertTrue(t.fallsBelowAt().isEmpty());
    assertEquals(3, t.count());
  }

  @Test
  void notSeenFor_listsStaleClientsWithTheirValidityEnd() {
    clientsOnDays(10);
    Instant now = T0.plus(Duration.ofDays(100));
    List<CountForecast.AtRisk> risk =
        CountForecast.notSeenFor(ledger.state(), now, Duration.ofDays(95));
    assertEquals(
        List.of(cmid(1), cmid(2), cmid(3), cmid(4)),
        risk.stream().map(r -> r.client().cmid()).toList());
    assertEquals(T0.plus(Duration.ofDays(181)).plusSeconds(43_200), risk.get(0).validUntil());
    assertEquals(Duration.ofDays(99).minusSeconds(43_200), risk.get(0).notSeenFor());
  }

  @Test
  void forecast_badThreshold_rejectedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CountForecast.forecast(ledger.state(), T0, List.of(0), Duration.ZERO));
    assertEquals("threshold must be 1-1000: 0", e.getMessage());
  }
}
