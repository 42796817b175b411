package io.github.kmsj.core.ledger;

import static io.github.kmsj.core.ledger.ClientLedgerTest.OFFICE;
import static io.github.kmsj.core.ledger.ClientLedgerTest.WINDOWS;
import static io.github.kmsj.core.ledger.ClientLedgerTest.cmid;
import static io.github.kmsj.core.ledger.ClientLedgerTest.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.Guid;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link CloneDetection} on a ledger fed on a manual clock. */
final class CloneDetectionTest {
  private final ManualScheduler time = new ManualScheduler(Instant.parse("2025-06-01T08:00:00Z"));
  private final ClientLedger ledger = new ClientLedger();

  private void request(int cmid, String name, int address) {
    ledger.apply(seen(WINDOWS, cmid(cmid), 25, time.instant(), name, address));
    time.advance(Duration.ofMinutes(10));
  }

  @Test
  void find_threeMachinesFromOneImage_oneCloneWithEveryNameAndAddress() throws Exception {
    request(1, "pc-a", 11);
    request(1, "pc-b", 12);
    request(1, "pc-c", 13);
    request(1, "pc-a", 11);
    request(2, "pc-d", 14);
    request(2, "pc-d", 14);

    List<CloneDetection.SuspectedClone> clones =
        CloneDetection.find(ledger.state(), time.instant(), CloneDetection.DEFAULT_WINDOW);

    assertEquals(1, clones.size(), clones::toString);
    CloneDetection.SuspectedClone c = clones.get(0);
    assertEquals(cmid(1), c.cmid());
    assertEquals(WINDOWS, c.applicationId());
    assertEquals(List.of("pc-b", "pc-c", "pc-a"), c.workstationNames(), "latest last");
    assertEquals(
        List.of(
            InetAddress.getByName("10.0.0.12"),
            InetAddress.getByName("10.0.0.13"),
            InetAddress.getByName("10.0.0.11")),
        c.addresses());
    assertEquals(4, c.requestCount());
    assertEquals(2, ledger.count(WINDOWS, time.instant()), "three machines and pc-d count as two");
  }

  @Test
  void find_cloneSilentForAWindow_noLongerFlagged() {
    request(1, "pc-a", 11);
    request(1, "pc-b", 12);
    Duration window = Duration.ofDays(7);
    time.advance(Duration.ofDays(7).minusMinutes(11));
    assertEquals(1, CloneDetection.find(ledger.state(), time.instant(), window).size());
    time.advance(Duration.ofMinutes(1));
    assertTrue(CloneDetection.find(ledger.state(), time.instant(), window).isEmpty());
  }

  @Test
  void becameClone_firesAtTheFirstSwitchOnlyAndAgainAfterASilentWindow() {
    Duration window = CloneDetection.DEFAULT_WINDOW;
    Optional<ClientRecord> before = Optional.empty();
    int fired = 0;
    String[] names = {"pc-a", "pc-a", "pc-b", "pc-a", "pc-b"};
    for (String name : names) {
      request(1, name, 11);
      ClientRecord after = ledger.client(WINDOWS, cmid(1)).orElseThrow();
      fired += CloneDetection.becameClone(before, after, window) ? 1 : 0;
      assertEquals(
          CloneDetection.isClone(after, time.instant(), window),
          ledger.isClone(WINDOWS, cmid(1), time.instant(), window),
          "the host's allocation-free test agrees");
      before = Optional.of(after);
    }
    assertEquals(1, fired, "one event for a CMID that keeps switching");

    time.advance(window);
    request(1, "pc-a", 11);
    ClientRecord after = ledger.client(WINDOWS, cmid(1)).orElseThrow();
    assertTrue(CloneDetection.becameClone(before, after, window), "back after a silent window");
  }

  @Test
  void countByApplication_everyApplicationListedWithZeros() {
    request(1, "pc-a", 11);
    request(1, "pc-b", 12);
    ledger.apply(seen(OFFICE, cmid(3), 5, time.instant(), "pc-o", 20));
    Map<Guid, Integer> counts =
        CloneDetection.countByApplication(
            ledger.state(), time.instant(), CloneDetection.DEFAULT_WINDOW);
    assertEquals(Map.of(WINDOWS, 1, OFFICE, 0), counts);
    assertEquals(
        1, ledger.cloneCount(WINDOWS, time.instant(), CloneDetection.DEFAULT_WINDOW), "agrees");
    assertEquals(0, ledger.cloneCount(OFFICE, time.instant(), CloneDetection.DEFAULT_WINDOW));
  }

  @Test
  void isClone_singleName_never() {
    request(1, "pc-a", 11);
    request(1, "pc-a", 12);
    assertFalse(
        CloneDetection.isClone(
            ledger.client(WINDOWS, cmid(1)).orElseThrow(),
            time.instant(),
            CloneDetection.DEFAULT_WINDOW),
        "a new address alone is a moved machine (DHCP), not a clone");
  }

  @Test
  void find_zeroWindow_rejectedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CloneDetection.find(ledger.state(), time.instant(), Duration.ZERO));
    assertEquals("clone window must be positive: PT0S", e.getMessage());
  }
}
