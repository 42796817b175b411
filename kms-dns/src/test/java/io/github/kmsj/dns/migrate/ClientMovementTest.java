package io.github.kmsj.dns.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientMovement} on a manual clock: clients renew weekly, the SRV records switch on day 10,
 * and the old host becomes safe to retire once a renewal interval plus margin passed without a
 * client and everyone it saw after the switch is on the new host.
 */
final class ClientMovementTest {
  private static final Duration RENEWAL = Duration.ofDays(7);
  private static final Duration MARGIN = Duration.ofDays(1);
  private final ManualScheduler time = new ManualScheduler(Instant.parse("2026-11-01T00:00:00Z"));
  private final List<ClientMovement.Sighting> old = new ArrayList<>();
  private final List<ClientMovement.Sighting> neu = new ArrayList<>();

  private static Guid cmid(int i) {
    return Guid.parse(String.format("c0000000-0000-4000-8000-%012d", i));
  }

  private static void seen(List<ClientMovement.Sighting> host, int client, Instant at) {
    Instant first =
        host.stream()
            .filter(s -> s.cmid().equals(cmid(client)))
            .map(ClientMovement.Sighting::firstSeen)
            .findFirst()
            .orElse(at);
    host.removeIf(s -> s.cmid().equals(cmid(client)));
    host.add(new ClientMovement.Sighting(cmid(client), "pc-" + client, first, at));
  }

  private ClientMovement movement(Optional<Instant> cutover) {
    return ClientMovement.of(old, neu, cutover, time.instant(), RENEWAL, MARGIN);
  }

  @Test
  void clientsMoveAtTheirRenewal_retireSafeAfterAQuietRenewalInterval() {
    // Days 0-9: three clients on the old host, each renewing on its own weekday.
    for (int day = 0; day < 10; day++) {
      for (int c = 1; c <= 3; c++) {
        if (day % 7 == c) {
          seen(old, c, time.instant());
        }
      }
      time.advance(Duration.ofDays(1));
    }
    Instant cutover = time.instant();
    // Day 10: the records switch. Client 1 renews with the new host on day 15, client 2 on day 16;
    // client 3 has a stale resolver cache and renews with the old host on day 10.
    seen(old, 3, time.instant());
    time.advance(Duration.ofDays(5));
    seen(neu, 1, time.instant());
    time.advance(Duration.ofDays(1));
    seen(neu, 2, time.instant());
    seen(neu, 4, time.instant()); // a new machine

    ClientMovement m = movement(Optional.of(cutover));
    assertEquals(List.of(cmid(1), cmid(2)), m.moved().stream().map(s -> s.cmid()).toList());
    assertEquals(List.of(cmid(3)), m.onlyOld().stream().map(s -> s.cmid()).toList());
    assertEquals(List.of(cmid(4)), m.newOnly().stream().map(s -> s.cmid()).toList());
    assertFalse(m.retireSafe());
    assertEquals(
        "1 client(s) used the old host after the cut-over and never the new one", m.reason());

    // Day 17: client 3 renews with the new host; the old host last saw a client on day 10.
    time.advance(Duration.ofDays(1));
    seen(neu, 3, time.instant());
    m = movement(Optional.of(cutover));
    assertTrue(m.onlyOld().isEmpty());
    assertFalse(m.retireSafe(), "7 days of quiet, 8 needed: " + m.reason());
    assertTrue(m.reason().startsWith("the old host saw a client 10080 min ago"), m.reason());

    time.advance(Duration.ofDays(1));
    m = movement(Optional.of(cutover));
    assertTrue(m.retireSafe(), m.reason());
    assertEquals(Duration.ofDays(8), m.quietFor());
  }

  @Test
  void noCutoverGiven_theNewHostsFirstClientIsTheCutover() {
    seen(old, 1, time.instant());
    time.advance(Duration.ofDays(3));
    Instant first = time.instant();
    seen(neu, 1, first);
    assertEquals(first, movement(Optional.empty()).cutover());
  }

  @Test
  void probeWorkstationIgnored_itIsNoClient() {
    old.add(
        new ClientMovement.Sighting(
            cmid(9), ClientMovement.PROBE_WORKSTATION, time.instant(), time.instant()));
    ClientMovement m = movement(Optional.of(time.instant()));
    assertTrue(m.onlyOld().isEmpty());
    assertTrue(m.retireSafe(), m.reason());
  }
}
