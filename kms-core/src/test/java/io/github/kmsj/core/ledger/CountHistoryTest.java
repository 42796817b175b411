package io.github.kmsj.core.ledger;

import static io.github.kmsj.core.ledger.ClientLedgerTest.cmid;
import static io.github.kmsj.core.ledger.ClientLedgerTest.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger's count history: each UTC day's highest count, the last 128 days. */
final class CountHistoryTest {
  static final Guid APP = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
  static final LocalDate D0 = LocalDate.parse("2025-01-01");

  private final ClientLedger ledger = new ClientLedger();

  @Test
  void history_requestsOverThreeDays_oneEntryPerDayWithItsHighest() {
    ledger.apply(seen(APP, cmid(1), 25, T0));
    ledger.apply(seen(APP, cmid(2), 25, T0.plusSeconds(60)));
    ledger.apply(seen(APP, cmid(1), 25, T0.plusSeconds(120))); // renewal: no growth
    ledger.apply(seen(APP, cmid(3), 25, T0.plus(Duration.ofDays(2))));

    assertEquals(
        List.of(new DailyCount(D0, 2), new DailyCount(D0.plusDays(2), 3)), ledger.history(APP));
    assertEquals(List.of(), ledger.history(Guid.ZERO));
  }

  @Test
  void history_countsExpireOverTheMonth_dayHighFollowsTheCountDown() {
    for (int i = 0; i < 5; i++) {
      ledger.apply(seen(APP, cmid(i), 5, T0.plusSeconds(i)));
    }
    ledger.apply(seen(APP, cmid(9), 5, T0.plus(Duration.ofDays(31))));

    assertEquals(
        List.of(new DailyCount(D0, 5), new DailyCount(D0.plusDays(31), 1)), ledger.history(APP));
  }

  @Test
  void history_after200Days_keepsOnlyTheLast128() {
    for (int d = 0; d < 200; d++) {
      ledger.apply(seen(APP, cmid(d), 25, T0.plus(Duration.ofDays(d))));
    }
    List<DailyCount> h = ledger.history(APP);
    assertEquals(ClientLedger.HISTORY_DAYS, h.size());
    assertEquals(D0.plusDays(199), h.get(h.size() - 1).day());
    assertEquals(D0.plusDays(200 - ClientLedger.HISTORY_DAYS), h.get(0).day());
  }

  @Test
  void history_clockSteppedBack_laterDaysForgotten() {
    ledger.apply(seen(APP, cmid(1), 25, T0));
    ledger.apply(seen(APP, cmid(2), 25, T0.plus(Duration.ofDays(3))));
    ledger.apply(new HostChange.ClockStepped(T0.plus(Duration.ofDays(1))));
    ledger.apply(seen(APP, cmid(3), 25, T0.plus(Duration.ofDays(1))));

    assertEquals(
        List.of(new DailyCount(D0, 1), new DailyCount(D0.plusDays(1), 3)), ledger.history(APP));
  }

  @Test
  void restore_stateWithHistory_sameHistoryAndStillCounting() {
    ledger.apply(seen(APP, cmid(1), 25, T0));
    ledger.apply(seen(APP, cmid(2), 25, T0.plus(Duration.ofDays(1))));
    LedgerState state = ledger.state();
    ClientLedger copy = new ClientLedger();
    copy.restore(state);
    assertEquals(state, copy.state());
    copy.apply(seen(APP, cmid(3), 25, T0.plus(Duration.ofDays(1)).plusSeconds(5)));
    assertEquals(new DailyCount(D0.plusDays(1), 3), copy.history(APP).get(1));
  }

  @Test
  void application_badHistory_refused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new LedgerState.Application(
                APP, 25, List.of(new DailyCount(D0, 1), new DailyCount(D0, 2))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new LedgerState.Application(
                APP, 25, List.of(new DailyCount(D0, 1), new DailyCount(D0.plusDays(200), 2))));
    assertThrows(IllegalArgumentException.class, () -> new DailyCount(D0, -1));
  }
}
