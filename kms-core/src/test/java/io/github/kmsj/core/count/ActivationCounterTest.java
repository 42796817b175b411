package io.github.kmsj.core.count;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ActivationCounterTest {

  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final Guid OFFICE = Guid.parse("0ff1ce15-a989-479d-af46-f275c6370663");
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final ActivationCounter counter = new ActivationCounter();

  static Guid cmid(int n) {
    return new Guid(0x1234_5678_0000_4000L, 0x8000_0000_0000_0000L | n);
  }

  private static Instant at(Duration d) {
    return T0.plus(d);
  }

  private int count(CountResult result) {
    return ((CountResult.Counted) result).count();
  }

  @Test
  void record_threeClientsThenServer_serverCountsFour() {
    counter.record(WINDOWS, cmid(1), 25, T0);
    counter.record(WINDOWS, cmid(2), 25, at(Duration.ofMinutes(1)));
    counter.record(WINDOWS, cmid(3), 25, at(Duration.ofMinutes(2)));

    CountResult server = counter.record(WINDOWS, cmid(4), 5, at(Duration.ofMinutes(3)));

    assertEquals(new CountResult.Counted(4, true, Optional.empty()), server);
  }

  @Test
  void record_sameCmidRenewingTenTimes_keepsCountOne() {
    for (int i = 0; i < 10; i++) {
      CountResult r = counter.record(WINDOWS, cmid(1), 25, at(Duration.ofDays(i)));
      assertEquals(new CountResult.Counted(1, i == 0, Optional.empty()), r);
    }

    CmidEntry entry =
        counter
            .snapshot(at(Duration.ofDays(9)))
            .application(WINDOWS)
            .orElseThrow()
            .entries()
            .get(0);
    assertEquals(new CmidEntry(cmid(1), T0, at(Duration.ofDays(9)), 10), entry);
  }

  @Test
  void currentCount_exactlyThirtyDaysAfterLastSeen_noLongerCounts() {
    counter.record(WINDOWS, cmid(1), 25, T0);

    assertEquals(
        1, counter.currentCount(WINDOWS, T0.plus(ActivationCounter.ACTIVE_WINDOW).minusNanos(1)));
    assertEquals(0, counter.currentCount(WINDOWS, T0.plus(ActivationCounter.ACTIVE_WINDOW)));
  }

  @Test
  void record_afterThirtyDays_countsTheOldCmidNoMore() {
    counter.record(WINDOWS, cmid(1), 25, T0);
    counter.record(WINDOWS, cmid(2), 25, at(Duration.ofDays(10)));

    assertEquals(
        3, count(counter.record(WINDOWS, cmid(3), 25, at(Duration.ofDays(30).minusSeconds(1)))));
    assertEquals(2, count(counter.record(WINDOWS, cmid(3), 25, at(Duration.ofDays(30)))));
    CountResult returning = counter.record(WINDOWS, cmid(1), 25, at(Duration.ofDays(31)));
    assertEquals(new CountResult.Counted(3, true, Optional.empty()), returning);
  }

  @Test
  void capacity_growsWithPolicyAndNeverShrinks() {
    assertEquals(0, counter.highestPolicy(WINDOWS));

    counter.record(WINDOWS, cmid(1), 5, T0);
    assertEquals(10, counter.capacity(WINDOWS));

    counter.record(WINDOWS, cmid(2), 25, T0);
    assertEquals(50, counter.capacity(WINDOWS));
    assertEquals(25, counter.highestPolicy(WINDOWS));

    counter.record(WINDOWS, cmid(3), 5, at(Duration.ofDays(100)));
    assertEquals(50, counter.capacity(WINDOWS));
    assertEquals(1, counter.currentCount(WINDOWS, at(Duration.ofDays(100))));
  }

  @Test
  void record_atCapacity_evictsTheLeastRecentlySeen() {
    for (int i = 1; i <= 10; i++) {
      counter.record(OFFICE, cmid(i), 5, at(Duration.ofMinutes(i)));
    }
    counter.record(OFFICE, cmid(1), 5, at(Duration.ofMinutes(20)));

    CountResult eleventh = counter.record(OFFICE, cmid(11), 5, at(Duration.ofMinutes(21)));

    assertEquals(new CountResult.Counted(10, true, Optional.of(cmid(2))), eleventh);
    List<CmidEntry> entries =
        counter.snapshot(at(Duration.ofMinutes(21))).application(OFFICE).orElseThrow().entries();
    assertEquals(cmid(3), entries.get(0).cmid());
    assertEquals(cmid(11), entries.get(9).cmid());
    assertEquals(cmid(1), entries.get(8).cmid());
  }

  @Test
  void record_officeAndWindows_countApart() {
    counter.record(WINDOWS, cmid(1), 25, T0);
    counter.record(WINDOWS, cmid(2), 25, T0);

    assertEquals(1, count(counter.record(OFFICE, cmid(1), 5, T0)));
    assertEquals(2, counter.currentCount(WINDOWS, T0));
    assertEquals(10, counter.capacity(OFFICE));
    assertEquals(50, counter.capacity(WINDOWS));
  }

  @Test
  void record_policyAbove1000_isRefusedAndChangesNothing() {
    counter.record(WINDOWS, cmid(1), 25, T0);
    CounterSnapshot before = counter.snapshot(T0);

    assertEquals(
        new CountResult.PolicyTooHigh(1001),
        counter.record(WINDOWS, cmid(2), 1001, at(Duration.ofDays(40))));
    assertEquals(
        new CountResult.PolicyTooHigh(0xFFFF_FFFFL), counter.record(WINDOWS, cmid(2), -1, T0));
    assertTrue(counter.record(OFFICE, cmid(3), 5000, T0).isRefused());

    assertEquals(before, counter.snapshot(T0));
    assertEquals(25, counter.highestPolicy(WINDOWS));
    assertTrue(counter.snapshot(T0).application(OFFICE).isEmpty());
  }

  @Test
  void record_policy1000_isAccepted() {
    CountResult r = counter.record(WINDOWS, cmid(1), 1000, T0);

    assertFalse(r.isRefused());
    assertEquals(2000, counter.capacity(WINDOWS));
  }

  @Test
  void record_timeGoingBackwards_countsAsTheLatestTime() {
    counter.record(WINDOWS, cmid(1), 25, at(Duration.ofDays(10)));

    CountResult earlier = counter.record(WINDOWS, cmid(2), 25, at(Duration.ofDays(5)));

    assertEquals(2, count(earlier));
    List<CmidEntry> entries = counter.snapshot(T0).application(WINDOWS).orElseThrow().entries();
    assertEquals(at(Duration.ofDays(10)), entries.get(1).lastSeen());
    assertEquals(
        new CountResult.Counted(2, false, Optional.empty()),
        counter.record(WINDOWS, cmid(1), 25, Instant.EPOCH));
    assertEquals(2, counter.currentCount(WINDOWS, at(Duration.ofDays(40)).minusNanos(1)));
    assertEquals(0, counter.currentCount(WINDOWS, at(Duration.ofDays(40))));
  }

  @Test
  void currentCount_unknownApplication_isZero() {
    assertEquals(0, counter.currentCount(OFFICE, T0));
    assertEquals(2, counter.capacity(OFFICE));
  }

  @Test
  void listener_everyChange_isReported() {
    List<String> events = new ArrayList<>();
    ActivationCounter observed =
        new ActivationCounter(
            new CounterListener() {
              @Override
              public void onAdded(Guid app, CmidEntry e) {
                events.add("added " + (e.cmid().leastSigBits() & 0xff));
              }

              @Override
              public void onRefreshed(Guid app, CmidEntry e) {
                events.add(
                    "refreshed " + (e.cmid().leastSigBits() & 0xff) + " x" + e.requestCount());
              }

              @Override
              public void onEvicted(Guid app, CmidEntry e) {
                events.add("evicted " + (e.cmid().leastSigBits() & 0xff));
              }

              @Override
              public void onExpired(Guid app, CmidEntry e) {
                events.add("expired " + (e.cmid().leastSigBits() & 0xff));
              }

              @Override
              public void onPolicyRaised(Guid app, int previous, int current) {
                events.add("policy " + previous + "->" + current);
              }
            });

    observed.record(OFFICE, cmid(1), 1, T0);
    observed.record(OFFICE, cmid(2), 1, T0);
    observed.record(OFFICE, cmid(2), 1, T0);
    observed.record(OFFICE, cmid(3), 1, T0);
    observed.record(OFFICE, cmid(4), 5, at(Duration.ofDays(30)));

    assertEquals(
        List.of(
            "policy 0->1",
            "added 1",
            "added 2",
            "refreshed 2 x2",
            "added 3",
            "evicted 1",
            "expired 2",
            "expired 3",
            "policy 1->5",
            "added 4"),
        events);
  }

  @Test
  void listener_throwing_doesNotStopCounting() {
    ActivationCounter observed =
        new ActivationCounter(
            new CounterListener() {
              @Override
              public void onAdded(Guid app, CmidEntry e) {
                throw new IllegalStateException("journal full (expected by the test)");
              }
            });

    observed.record(WINDOWS, cmid(1), 25, T0);

    assertEquals(2, count(observed.record(WINDOWS, cmid(2), 25, T0)));
  }

  @Test
  void snapshot_laterRecords_doNotChangeIt() {
    counter.record(WINDOWS, cmid(1), 25, T0);
    CounterSnapshot snapshot = counter.snapshot(T0);

    counter.record(WINDOWS, cmid(2), 25, T0);
    counter.record(WINDOWS, cmid(1), 25, T0);

    ApplicationCounts windows = snapshot.application(WINDOWS).orElseThrow();
    assertEquals(1, windows.count());
    assertEquals(50, windows.capacity());
    assertEquals(1, windows.entries().get(0).requestCount());
    assertThrows(UnsupportedOperationException.class, () -> windows.entries().clear());
  }

  @Test
  void restore_fromSnapshot_continuesWhereItLeft() {
    counter.record(WINDOWS, cmid(1), 25, T0);
    counter.record(WINDOWS, cmid(2), 5, at(Duration.ofDays(1)));
    counter.record(OFFICE, cmid(3), 5, at(Duration.ofDays(2)));
    CounterSnapshot snapshot = counter.snapshot(at(Duration.ofDays(2)));

    ActivationCounter restored = new ActivationCounter();
    restored.restore(snapshot);

    assertEquals(snapshot, restored.snapshot(at(Duration.ofDays(2))));
    assertEquals(50, restored.capacity(WINDOWS));
    // At day 30 the CMID of day 0 has expired; the one of day 1 still counts.
    assertEquals(2, count(restored.record(WINDOWS, cmid(4), 25, at(Duration.ofDays(30)))));
  }

  @Test
  void restore_entriesInAnyOrderBeyondCapacity_keepsTheMostRecent() {
    List<CmidEntry> entries = new ArrayList<>();
    for (int i = 12; i >= 1; i--) {
      Instant seen = at(Duration.ofHours(i));
      entries.add(new CmidEntry(cmid(i), seen, seen, 1));
    }

    counter.restore(OFFICE, 5, entries);

    List<CmidEntry> kept =
        counter.snapshot(at(Duration.ofHours(12))).application(OFFICE).orElseThrow().entries();
    assertEquals(10, kept.size());
    assertEquals(cmid(3), kept.get(0).cmid());
    assertEquals(cmid(12), kept.get(9).cmid());
  }

  @Test
  void restore_duplicateCmidOrBadPolicy_isRejected() {
    CmidEntry e = new CmidEntry(cmid(1), T0, T0, 1);

    assertThrows(IllegalArgumentException.class, () -> counter.restore(WINDOWS, 25, List.of(e, e)));
    assertThrows(IllegalArgumentException.class, () -> counter.restore(WINDOWS, 1001, List.of(e)));
    assertThrows(
        IllegalArgumentException.class, () -> new CmidEntry(cmid(1), T0, T0.minusSeconds(1), 1));
    assertThrows(IllegalArgumentException.class, () -> new CmidEntry(cmid(1), T0, T0, 0));
  }
}
