package io.github.kmsj.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ClientLedgerTest {

  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final Guid OFFICE = Guid.parse("0ff1ce15-a989-479d-af46-f275c6370663");
  static final Guid SKU = Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588");
  static final Guid KMS_ID = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final ClientLedger ledger = new ClientLedger();

  static Guid cmid(int n) {
    return new Guid(0x1234_5678_0000_4000L, 0x8000_0000_0000_0000L | n);
  }

  static HostChange.ClientSeen seen(Guid app, Guid cmid, int policy, Instant t) {
    return seen(app, cmid, policy, t, "ws-" + cmid.toString().substring(30), 1);
  }

  static HostChange.ClientSeen seen(
      Guid app, Guid cmid, int policy, Instant t, String name, int address) {
    try {
      return new HostChange.ClientSeen(
          t,
          app,
          cmid,
          policy,
          name,
          SKU,
          KMS_ID,
          LicenseStatus.OOB_GRACE,
          Optional.of(
              new InetSocketAddress(
                  InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) address}), 50000)));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Instant at(Duration d) {
    return T0.plus(d);
  }

  private int count(Guid app, int cmid, int policy, Instant t) {
    return ledger.apply(seen(app, cmid(cmid), policy, t)).count();
  }

  @Test
  void apply_threeClientsThenServer_serverCountsFour() {
    count(WINDOWS, 1, 25, T0);
    count(WINDOWS, 2, 25, T0);
    count(WINDOWS, 3, 25, T0);

    Tally server = ledger.apply(seen(WINDOWS, cmid(4), 5, T0.plusSeconds(1)));

    assertEquals(new Tally(4, true, Optional.empty()), server);
  }

  @Test
  void apply_sameCmidRenewingTenTimes_keepsCountOneAndCountsRequests() {
    for (int i = 0; i < 10; i++) {
      Tally t = ledger.apply(seen(WINDOWS, cmid(1), 25, at(Duration.ofDays(i))));
      assertEquals(1, t.count());
      assertEquals(i == 0, t.newCmid());
    }
    ClientRecord r = ledger.state().client(WINDOWS, cmid(1)).orElseThrow();
    assertEquals(10, r.requestCount());
    assertEquals(T0, r.firstSeen());
    assertEquals(at(Duration.ofDays(9)), r.lastSeen());
  }

  @Test
  void count_exactlyThirtyDaysAfterLastSeen_noLongerCounts() {
    count(WINDOWS, 1, 25, T0);

    assertEquals(1, ledger.count(WINDOWS, at(ClientLedger.ACTIVE_WINDOW).minusNanos(1)));
    assertEquals(0, ledger.count(WINDOWS, at(ClientLedger.ACTIVE_WINDOW)));
  }

  @Test
  void count_isAPureRead_aLaterReadDoesNotExpireForAnEarlierOne() {
    count(WINDOWS, 1, 25, T0);
    LedgerState before = ledger.state();

    assertEquals(0, ledger.count(WINDOWS, at(Duration.ofDays(31))));

    assertEquals(before, ledger.state());
    assertEquals(1, ledger.count(WINDOWS, at(Duration.ofDays(1))));
  }

  @Test
  void apply_afterThirtyDays_oldCmidNoLongerCountedButRemembered() {
    count(WINDOWS, 1, 25, T0);

    Tally later = ledger.apply(seen(WINDOWS, cmid(2), 25, at(Duration.ofDays(31))));

    assertEquals(1, later.count());
    LedgerState state = ledger.state();
    ClientRecord old = state.client(WINDOWS, cmid(1)).orElseThrow();
    assertFalse(old.inCount());
    assertFalse(state.isCounted(old));
    assertEquals(
        List.of(cmid(2)), state.countedClients(WINDOWS).stream().map(ClientRecord::cmid).toList());
    Tally back = ledger.apply(seen(WINDOWS, cmid(1), 25, at(Duration.ofDays(32))));
    assertEquals(new Tally(2, true, Optional.empty()), back, "a returning CMID counts again");
    assertEquals(2, ledger.state().client(WINDOWS, cmid(1)).orElseThrow().requestCount());
  }

  @Test
  void capacity_growsWithPolicyAndNeverShrinks() {
    assertEquals(0, ledger.highestPolicy(WINDOWS));
    count(WINDOWS, 1, 5, T0);
    assertEquals(10, ledger.capacity(WINDOWS));
    count(WINDOWS, 2, 25, T0);
    assertEquals(50, ledger.capacity(WINDOWS));
    count(WINDOWS, 3, 5, at(Duration.ofDays(100)));
    assertEquals(50, ledger.capacity(WINDOWS));
    assertEquals(1, ledger.count(WINDOWS, at(Duration.ofDays(100))));
  }

  @Test
  void apply_atCapacity_evictsTheLeastRecentlySeen() {
    for (int i = 1; i <= 10; i++) {
      count(OFFICE, i, 5, at(Duration.ofMinutes(i)));
    }
    count(OFFICE, 1, 5, at(Duration.ofMinutes(20)));

    Tally eleventh = ledger.apply(seen(OFFICE, cmid(11), 5, at(Duration.ofMinutes(21))));

    assertEquals(new Tally(10, true, Optional.of(cmid(2))), eleventh);
    List<ClientRecord> counted = ledger.state().countedClients(OFFICE);
    assertEquals(cmid(3), counted.get(0).cmid());
    assertEquals(cmid(1), counted.get(8).cmid());
    assertEquals(cmid(11), counted.get(9).cmid());
    assertFalse(ledger.state().client(OFFICE, cmid(2)).orElseThrow().inCount());
  }

  @Test
  void apply_officeAndWindows_countApart() {
    count(WINDOWS, 1, 25, T0);
    count(WINDOWS, 2, 25, T0);

    assertEquals(1, count(OFFICE, 1, 5, T0));
    assertEquals(2, ledger.count(WINDOWS, T0));
    assertEquals(10, ledger.capacity(OFFICE));
    assertEquals(50, ledger.capacity(WINDOWS));
    assertEquals(3, ledger.size());
  }

  @Test
  void clientSeen_policyAbove1000_isRejectedNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> seen(WINDOWS, cmid(1), 1001, T0));
    assertTrue(e.getMessage().contains("1001"), e.getMessage());
    assertEquals(2000, ledger.apply(seen(WINDOWS, cmid(1), 1000, T0)).count() * 2000);
  }

  @Test
  void apply_timeGoingBackwards_countsAsTheLatestTime() {
    count(WINDOWS, 1, 25, at(Duration.ofDays(10)));

    assertEquals(2, count(WINDOWS, 2, 25, at(Duration.ofDays(5))));

    assertEquals(
        at(Duration.ofDays(10)), ledger.state().client(WINDOWS, cmid(2)).orElseThrow().lastSeen());
    assertEquals(
        new Tally(2, false, Optional.empty()),
        ledger.apply(seen(WINDOWS, cmid(1), 25, Instant.EPOCH)));
    assertEquals(2, ledger.count(WINDOWS, at(Duration.ofDays(40)).minusNanos(1)));
    assertEquals(0, ledger.count(WINDOWS, at(Duration.ofDays(40))));
  }

  @Test
  void count_unknownApplication_isZero() {
    assertEquals(0, ledger.count(OFFICE, T0));
    assertEquals(2, ledger.capacity(OFFICE));
  }

  @Test
  void apply_beyondRetention_forgetsTheClient() {
    ClientLedger short30 = new ClientLedger(new LedgerLimits(Duration.ofDays(30), 100));
    short30.apply(seen(WINDOWS, cmid(1), 25, T0));
    short30.apply(seen(WINDOWS, cmid(2), 25, at(Duration.ofDays(29))));

    short30.apply(seen(WINDOWS, cmid(3), 25, at(Duration.ofDays(30))));

    assertTrue(short30.state().client(WINDOWS, cmid(1)).isEmpty());
    assertEquals(2, short30.size());
    assertEquals(2, short30.count(WINDOWS, at(Duration.ofDays(30))));
  }

  @Test
  void apply_beyondTheRecordCap_forgetsTheLeastRecentlySeenAcrossApplications() {
    ClientLedger capped = new ClientLedger(new LedgerLimits(Duration.ofDays(90), 3));
    capped.apply(seen(WINDOWS, cmid(1), 25, T0));
    capped.apply(seen(OFFICE, cmid(2), 5, T0.plusSeconds(1)));
    capped.apply(seen(WINDOWS, cmid(3), 25, T0.plusSeconds(2)));
    capped.apply(seen(WINDOWS, cmid(1), 25, T0.plusSeconds(3)));

    capped.apply(seen(OFFICE, cmid(4), 5, T0.plusSeconds(4)));

    assertEquals(
        List.of(cmid(3), cmid(1), cmid(4)),
        capped.state().clients().stream().map(ClientRecord::cmid).toList());
    assertEquals(
        0, capped.count(OFFICE, T0.plusSeconds(4)) - 1, "cmid 2 left the count with its record");
    assertEquals(2, capped.count(WINDOWS, T0.plusSeconds(4)));
  }

  @Test
  void limits_retentionShorterThanTheWindowOrNoRecords_rejectedNamingThem() {
    IllegalArgumentException retention =
        assertThrows(
            IllegalArgumentException.class, () -> new LedgerLimits(Duration.ofDays(29), 10));
    assertTrue(retention.getMessage().contains("retention"), retention.getMessage());
    IllegalArgumentException cap =
        assertThrows(
            IllegalArgumentException.class, () -> new LedgerLimits(Duration.ofDays(90), 0));
    assertTrue(cap.getMessage().contains("maxClients"), cap.getMessage());
  }

  @Test
  void apply_namesAndAddresses_keepsTheLastFourDistinctOldestFirst() {
    String[] names = {"a", "b", "a", "c", "d", "e", "e"};
    for (int i = 0; i < names.length; i++) {
      ledger.apply(seen(WINDOWS, cmid(1), 25, T0.plusSeconds(i), names[i], 1 + (i % 2)));
    }
    ClientRecord r = ledger.state().client(WINDOWS, cmid(1)).orElseThrow();
    assertEquals(List.of("a", "c", "d", "e"), r.workstationNames());
    assertEquals("e", r.workstationName());
    assertEquals(2, r.addresses().size());
    assertEquals(
        List.of("10.0.0.2", "10.0.0.1"),
        r.addresses().stream().map(InetAddress::getHostAddress).toList());
  }

  @Test
  void state_laterChanges_doNotChangeIt() {
    count(WINDOWS, 1, 25, T0);
    LedgerState before = ledger.state();
    count(WINDOWS, 2, 25, T0.plusSeconds(1));
    assertEquals(1, before.clients().size());
    assertEquals(2, ledger.state().clients().size());
  }

  @Test
  void restore_fromState_continuesExactlyWhereItLeft() {
    for (int i = 0; i < 30; i++) {
      count(i % 3 == 0 ? OFFICE : WINDOWS, i % 17, i % 3 == 0 ? 5 : 25, at(Duration.ofDays(i)));
    }
    ClientLedger copy = new ClientLedger();
    copy.restore(ledger.state());
    assertEquals(ledger.state(), copy.state());
    for (int i = 30; i < 60; i++) {
      Instant t = at(Duration.ofDays(i));
      assertEquals(
          ledger.apply(seen(WINDOWS, cmid(i % 23), 25, t)),
          copy.apply(seen(WINDOWS, cmid(i % 23), 25, t)));
    }
    assertEquals(ledger.state(), copy.state());
  }

  @Test
  void restore_countedRecordOlderThanAnUncountedOne_isRejected() {
    count(WINDOWS, 1, 25, T0);
    count(WINDOWS, 2, 25, T0.plusSeconds(1));
    List<ClientRecord> clients = ledger.state().clients();
    ClientRecord newest = clients.get(1);
    ClientRecord uncounted =
        new ClientRecord(
            newest.cmid(),
            newest.applicationId(),
            newest.workstationName(),
            newest.skuId(),
            newest.kmsCountedId(),
            newest.licenseStatus(),
            newest.requiredClientCount(),
            newest.remote(),
            newest.firstSeen(),
            newest.lastSeen(),
            newest.requestCount(),
            false,
            newest.workstationNames(),
            newest.addresses());
    LedgerState bad =
        new LedgerState(
            T0.plusSeconds(1), ledger.state().applications(), List.of(clients.get(0), uncounted));
    ClientLedger other = new ClientLedger();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> other.restore(bad));
    assertTrue(e.getMessage().contains("not counted"), e.getMessage());
  }

  @Test
  void ledgerState_duplicateClientOrUnlistedApplication_isRejected() {
    count(WINDOWS, 1, 25, T0);
    LedgerState s = ledger.state();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new LedgerState(T0, s.applications(), List.of(s.clients().get(0), s.clients().get(0))));
    assertThrows(IllegalArgumentException.class, () -> new LedgerState(T0, List.of(), s.clients()));
  }

  @Test
  void manyMoreClientsThanTheCap_slotsAreReusedAndTheNewestKeptInOrder() {
    ClientLedger capped = new ClientLedger(new LedgerLimits(Duration.ofDays(90), 100));
    for (int i = 0; i < 5_000; i++) {
      capped.apply(seen(i % 2 == 0 ? WINDOWS : OFFICE, cmid(i), 5, T0.plusSeconds(i)));
      if (i % 7 == 0 && i >= 10) { // a renewal moves an older client to the tails
        capped.apply(seen(i % 2 == 0 ? WINDOWS : OFFICE, cmid(i - 10), 5, T0.plusSeconds(i)));
      }
    }
    List<ClientRecord> clients = capped.state().clients();
    assertEquals(100, capped.size());
    assertEquals(100, clients.size());
    for (int i = 1; i < clients.size(); i++) {
      assertFalse(
          clients.get(i).lastSeen().isBefore(clients.get(i - 1).lastSeen()),
          "records out of order at " + i);
    }
    assertEquals(cmid(4_999), clients.get(99).cmid());
    // Each application counts its own 30-day clients, capped by its capacity 2 × 5.
    assertEquals(10, capped.count(WINDOWS, T0.plusSeconds(5_000)));
    assertEquals(10, capped.count(OFFICE, T0.plusSeconds(5_000)));
    // A restored copy holds the same records in the same order.
    ClientLedger copy = new ClientLedger(new LedgerLimits(Duration.ofDays(90), 100));
    copy.restore(capped.state());
    assertEquals(capped.state(), copy.state());
  }
}
