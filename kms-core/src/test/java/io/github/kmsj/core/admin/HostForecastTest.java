package io.github.kmsj.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.InProcessActivation;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.CountForecast;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The live forecast of {@link HostAdmin#forecast}, on a manual clock. */
final class HostForecastTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final KmsCountedProduct SERVER_2019 = HostAdminTest.SERVER_2019;

  private final ManualScheduler clock = new ManualScheduler(T0);
  private final SplittableRandom random = new SplittableRandom(11);
  private final KmsHost host = KmsHost.builder().time(clock).random(random).build();
  private final HostAdmin admin = HostAdmin.builder(host).build();

  private void activate(int i, String workstation) {
    InProcessActivation.activate(
        host,
        ActivationRequest.forProduct(HostAdminTest.CATALOG, SERVER_2019)
            .cmid(HostAdminTest.cmid(i))
            .workstationName(workstation)
            .build(),
        clock.instant(),
        random);
  }

  /**
   * Three servers seen on day 0, three on day 20 and one CMID from two names on day 20. At day 20
   * all seven count. Assuming only the four seen within 8 days keep renewing, the count is 7 until
   * day 30, when the three of day 0 drop out of the 30-day window: it falls below 5 on 2026-03-31
   * (day 30), and it is below 25 already. The three of day 0 were not seen for 20 days (listed at
   * 15) and stay valid until day 180. CMID 7 is the one clone.
   */
  @Test
  void forecast_byHand_dayItFallsBelowEachOfItsOwnThresholdsNotSeenAndClones() {
    for (int i = 1; i <= 3; i++) {
      activate(i, "S" + i);
    }
    clock.advance(Duration.ofDays(20));
    for (int i = 4; i <= 6; i++) {
      activate(i, "S" + i);
    }
    activate(7, "CLONE-A");
    activate(7, "CLONE-B");

    HostForecast f = admin.forecast(Duration.ofDays(8), Duration.ofDays(15));

    assertEquals(T0.plus(Duration.ofDays(20)), f.asOf());
    assertEquals(1, f.applications().size());
    CountForecast.ApplicationForecast windows = f.applications().get(0);
    assertEquals(HostAdminTest.WINDOWS, windows.applicationId());
    assertEquals(7, windows.count());
    assertEquals(4, windows.renewing());
    assertEquals(List.of(5, 25), windows.thresholds().stream().map(t -> t.threshold()).toList());
    CountForecast.Threshold five = windows.thresholds().get(0);
    assertEquals(Optional.of(LocalDate.parse("2026-03-31")), five.fallsBelowOn());
    assertTrue(!five.alreadyBelow());
    CountForecast.Threshold twentyFive = windows.thresholds().get(1);
    assertTrue(twentyFive.alreadyBelow());
    assertEquals(Optional.empty(), twentyFive.fallsBelowAt());

    Set<Guid> notSeen = new HashSet<>();
    for (CountForecast.AtRisk r : f.notSeen()) {
      notSeen.add(r.client().cmid());
      assertEquals(Duration.ofDays(20), r.notSeenFor());
      assertEquals(T0.plus(Duration.ofDays(180)), r.validUntil());
    }
    assertEquals(
        Set.of(HostAdminTest.cmid(1), HostAdminTest.cmid(2), HostAdminTest.cmid(3)), notSeen);

    assertEquals(1, f.clones().size());
    assertEquals(HostAdminTest.cmid(7), f.clones().get(0).cmid());
    assertTrue(f.clones().get(0).workstationNames().containsAll(List.of("CLONE-A", "CLONE-B")));
    // Reading changes nothing: the ledger still holds the seven.
    assertEquals(7, host.currentCount(HostAdminTest.WINDOWS, clock.instant()));
    assertEquals(
        7, admin.clients(ClientFilter.ALL).stream().map(ClientRecord::cmid).distinct().count());
  }

  @Test
  void forecast_negativeDuration_isRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> admin.forecast(Duration.ofDays(8), Duration.ofDays(-1)));
    assertTrue(e.getMessage().contains("notSeenFor"), e.getMessage());
  }
}
