package io.github.kmsj.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The documented rules, with expected values worked out by hand from them (each test says how),
 * never read back from a run. The rules (docs/SIMULATOR.md, "The model"): a host counts distinct
 * CMIDs per application over 30 days and holds at most 2N; a Windows client needs 25, Server and
 * Office 5; a new client has 30 days of out-of-box grace and retries every activation interval (2
 * h); an activation is valid 180 days and is renewed every renewal interval (7 days); a client
 * sticks to the last host that answered while it accepts connections; clocks more than 4 h apart
 * are refused.
 */
final class SimulationTest {

  static Scenario yaml(String text) {
    return ScenarioReader.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  static Sample at(SimulationResult r, double day) {
    return r.samples().stream()
        .filter(s -> Math.abs(s.day() - day) < 1e-9)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample at day " + day));
  }

  static int count(Sample s, int host) {
    return s.hosts().get(host).counts().get(0);
  }

  /**
   * 24 Windows clients and nothing else: each request counts its own CMID, so the host's count is
   * at most 24 < 25 and no client is ever licensed. All arrive at day 0 00:00, so their 30-day
   * grace ends at day 30 00:00 exactly: on day 29 all 24 are in grace, on day 30 all 24 are in
   * notification, and the first notification is at day 30.
   */
  @Test
  void windowsClients_24Alone_neverActivate_notificationAfter30Days() {
    SimulationResult r =
        Simulation.run(
            yaml(
                """
                name: 24 alone
                days: 40
                hosts: [{name: kms1}]
                fleets: [{name: pc, product: Windows 11, count: 24}]
                """));
    for (Sample s : r.samples()) {
      assertEquals(0, s.licensed(), "day " + s.day());
      assertEquals(24, count(s, 0), "day " + s.day());
    }
    assertEquals(24, at(r, 29).oobGrace());
    assertEquals(0, at(r, 29).notification());
    assertEquals(24, at(r, 30).notification());
    assertEquals(30.0, r.summary().firstNotificationDay());
    assertEquals(0.0, r.summary().licensedShareAtEnd());
  }

  /**
   * 24 clients at day 0 retry every 2 h (00:00, 02:00, ...). The 25th arrives at day 3 00:00, makes
   * the count 25 and is licensed at once; the 24 retry at 02:00, see count 25 and are licensed. So
   * at day 3 + 1 h exactly one is licensed and at day 3 + 2 h (one activation interval) all 25 are.
   * Before day 3 none is.
   */
  @Test
  void windowsClients_25thOnDay3_all25LicensedWithinOneActivationInterval() {
    SimulationResult r =
        Simulation.run(
            yaml(
                """
                name: 25th on day 3
                days: 5
                sampleMinutes: 60
                hosts: [{name: kms1}]
                fleets:
                  - {name: early, product: Windows 11, count: 24}
                  - {name: late, product: Windows 11, count: 1, arrival: {day: 3}}
                """));
    assertEquals(0, at(r, 3 - 1 / 24.0).licensed());
    assertEquals(1, at(r, 3 + 1 / 24.0).licensed());
    assertEquals(25, at(r, 3 + 2 / 24.0).licensed());
    assertEquals(25, count(at(r, 3 + 2 / 24.0), 0));
    assertEquals(25, r.last().licensed());
    assertNull(r.summary().firstNotificationDay());
  }

  private static SimulationResult outage(double days) {
    return Simulation.run(
        yaml(
            """
            name: outage
            days: 200
            hosts: [{name: kms1, outages: [{day: 0.25, days: %s}]}]
            fleets: [{name: pc, product: Windows 11, count: 25}]
            """
                .formatted(days)));
  }

  /**
   * 25 clients arrive at day 0 00:00; the 25th request makes the count 25, so the last is licensed
   * at 00:00 and the other 24 at their 02:00 retry. The host goes down at 06:00 (day 0.25), before
   * the first renewal at day 7. A licence lasts 180 days from the last success, so it runs out at
   * day 180 00:00 (or 02:00). A 179-day outage ends at day 179.25, when the clients' 2-hourly
   * retries (all on even hours) renew them: nobody reaches notification. A 181-day outage ends at
   * day 181.25, after every licence ran out at day 180: all 25 are in notification on day 181, the
   * first at day 180.
   */
  @Test
  void outage_181Days_sendsLicensedClientsToNotification_179DaysDoesNot() {
    SimulationResult short179 = outage(179);
    assertEquals(25, at(short179, 1).licensed());
    assertNull(short179.summary().firstNotificationDay());
    for (Sample s : short179.samples()) {
      assertEquals(0, s.notification(), "day " + s.day());
    }
    assertEquals(25, at(short179, 181).licensed());

    SimulationResult long181 = outage(181);
    assertEquals(25, at(long181, 179).licensed());
    assertEquals(25, at(long181, 181).notification());
    assertEquals(180.0, long181.summary().firstNotificationDay());
    assertEquals(25, at(long181, 183).licensed(), "back once the host answers and counts 25 again");
  }

  private static SimulationResult migration(String oldHost, String caching) {
    return Simulation.run(
        yaml(
            """
            name: migration
            days: 60
            hostCaching: %s
            hosts:
              - %s
              - {name: new}
            dns:
              - {host: old, untilDay: 30}
              - {host: new, fromDay: 30}
            fleets: [{name: pc, product: Windows 11, count: 40}]
            """
                .formatted(caching, oldHost)));
  }

  /**
   * 40 clients activate on the old host on day 0 and renew every 7 days. On day 30 the SRV record
   * moves to the new host. Each client's next renewal comes within 7 days of the switch (one
   * renewal interval). With caching (Windows' default) the client asks its cached host first, so it
   * moves only when the old host stops accepting connections: retired on day 30, every client has
   * moved by day 37; still running, none ever moves. Without caching the client asks DNS at each
   * attempt: every client has moved by day 37 although the old host still runs. Moving keeps the
   * licence: the new host's first 24 answers are below threshold (an answer, not a licence loss),
   * and the 25th makes everybody licensed again on the next 2-hourly retry.
   */
  @Test
  void srvSwitch_7DayRenewal_everyClientMovedWithinOneRenewalIntervalPlusTheCachingRule() {
    SimulationResult retired = migration("{name: old, retireDay: 30}", "true");
    assertEquals(40, at(retired, 29).hosts().get(0).dependents());
    assertEquals(0, at(retired, 37).hosts().get(0).dependents());
    assertEquals(40, at(retired, 37).hosts().get(1).dependents());
    assertEquals(40, count(at(retired, 37), 1));
    assertEquals(40, at(retired, 37).licensed());
    assertEquals(40, retired.summary().hosts().get(0).dependentsAtRetirement());
    assertNull(retired.summary().hosts().get(0).safeToRetireDay(), "retired while in use");

    SimulationResult cachedStays = migration("{name: old}", "true");
    assertEquals(40, at(cachedStays, 60).hosts().get(0).dependents());
    assertEquals(0, cachedStays.summary().hosts().get(1).requests());
    assertNull(cachedStays.summary().hosts().get(0).idleFromDay());

    SimulationResult noCache = migration("{name: old}", "false");
    assertEquals(0, at(noCache, 37).hosts().get(0).dependents());
    assertEquals(40, at(noCache, 37).hosts().get(1).dependents());
    double idle = noCache.summary().hosts().get(0).idleFromDay();
    assertTrue(idle > 30 && idle <= 37, "old host idle from day " + idle);
    assertEquals(idle, noCache.summary().hosts().get(0).safeToRetireDay());
  }

  /**
   * Two hosts at weights 50/50 share 40 Windows clients. Each client's first query takes either
   * host with probability 1/2 (RFC 2782: 51/101 and 50/101), the host answers below threshold, and
   * caching keeps the client there; so each host counts only its own clients, the two counts add up
   * to 40, and a client is licensed only if its host counts 25. The split is binomial(40, 1/2):
   * both hosts stay below 25 unless one gets 25 or more, P = 2 × P(X ≥ 25) = 8.1%; over 40 seeds we
   * expect 36.8 with both below, and require at least 30 (more than 3 standard deviations below).
   * On every seed where both are below, nobody is ever licensed and all 40 are in notification on
   * day 30.
   */
  @Test
  void twoHosts_weights50_50_40WindowsClients_bothBelow25() {
    int bothBelow = 0;
    int firstBothBelow = 0;
    for (int seed = 1; seed <= 40; seed++) {
      Sample end = split(seed, 2).last();
      int a = count(end, 0);
      int b = count(end, 1);
      assertEquals(40, a + b, "seed " + seed);
      assertEquals(a, end.hosts().get(0).dependents());
      int expectedLicensed = (a >= 25 ? a : 0) + (b >= 25 ? b : 0);
      assertEquals(expectedLicensed, end.licensed(), "seed " + seed + ": " + a + "/" + b);
      if (a < 25 && b < 25) {
        bothBelow++;
        firstBothBelow = firstBothBelow == 0 ? seed : firstBothBelow;
      }
    }
    assertTrue(bothBelow >= 30, "both hosts below 25 on " + bothBelow + " of 40 seeds");
    SimulationResult month = split(firstBothBelow, 31);
    assertEquals(0, at(month, 29).licensed());
    assertEquals(40, at(month, 30).notification());
    assertEquals(40, count(at(month, 30), 0) + count(at(month, 30), 1));
  }

  private static SimulationResult split(int seed, int days) {
    return Simulation.run(
        yaml(
            """
            name: split
            days: %d
            seed: %d
            hosts: [{name: a}, {name: b}]
            dns: [{host: a, weight: 50}, {host: b, weight: 50}]
            fleets: [{name: pc, product: Windows 11, count: 40}]
            """
                .formatted(days, seed)));
  }

  /**
   * Three machines cloned from one image share one CMID under three names: the host counts one
   * client, and the summary finds one cloned CMID behind three machines (a host keeps up to 4 names
   * per CMID, so all three are seen). Without cloning the same three machines count 3.
   */
  @Test
  void clones_threeMachinesOneCmid_countAsOne() {
    SimulationResult cloned =
        Simulation.run(
            yaml(
                """
                name: clones
                days: 2
                hosts: [{name: kms1}]
                fleets: [{name: vdi, product: Windows 11, count: 3, clones: 3}]
                """));
    assertEquals(1, count(cloned.last(), 0));
    assertEquals(1, cloned.summary().clonesFound());
    assertEquals(3, cloned.summary().clonedMachines());

    SimulationResult distinct =
        Simulation.run(
            yaml(
                """
                name: no clones
                days: 2
                hosts: [{name: kms1}]
                fleets: [{name: vdi, product: Windows 11, count: 3}]
                """));
    assertEquals(3, count(distinct.last(), 0));
    assertEquals(0, distinct.summary().clonesFound());
  }

  /**
   * The 4-hour rule: a client clock 241 minutes ahead is refused (0xC004F06C), one 239 minutes
   * ahead is answered. 25 clients at 239 minutes are all licensed by 02:00 on day 0 and counted; 25
   * at 241 minutes are never counted, never licensed, and in notification on day 30.
   */
  @Test
  void clockSkew_beyond4Hours_refusedAndNeverLicensed_within4HoursLicensed() {
    SimulationResult r =
        Simulation.run(
            yaml(
                """
                name: skew
                days: 31
                hosts: [{name: kms1}]
                fleets:
                  - {name: near, product: Windows 11, count: 25, clockSkewMinutes: 239}
                  - {name: far, product: Windows 11, count: 25, clockSkewMinutes: -241}
                """));
    assertEquals(25, at(r, 1).licensed());
    assertEquals(25, count(at(r, 1), 0));
    assertEquals(25, at(r, 30).notification());
    assertEquals(25, at(r, 30).licensed());
  }

  /**
   * VDI churn: 25 machines re-imaged every 10 days each get a new CMID while the old one keeps
   * counting for 30 days; the host holds at most 2N = 50 Windows CMIDs. So the count is 25 on day
   * 9, 50 from day 10 (25 old + 25 new), and stays 50 (capped) while three generations are recent.
   */
  @Test
  void reimage_every10Days_countGrowsTo2NAndIsCapped() {
    SimulationResult r =
        Simulation.run(
            yaml(
                """
                name: churn
                days: 60
                hosts: [{name: kms1}]
                fleets: [{name: vdi, product: Windows 11, count: 25, reimageEveryDays: 10}]
                """));
    assertEquals(25, count(at(r, 9), 0));
    assertEquals(50, count(at(r, 10), 0));
    assertEquals(50, count(at(r, 25), 0));
    assertEquals(50, count(at(r, 59), 0));
    assertEquals(25, at(r, 59).clients());
  }

  /**
   * Servers and Office on one host: Windows Server needs 5 and counts under the Windows
   * application; Office needs 5 and counts under its own. 5 servers and 5 Office installations are
   * all licensed; the host counts 5 and 5.
   */
  @Test
  void serversAndOffice_fiveEach_licensedOnTheirOwnApplications() {
    SimulationResult r =
        Simulation.run(
            yaml(
                """
                name: server office
                days: 3
                hosts: [{name: kms1}]
                fleets:
                  - {name: srv, product: Windows Server 2022, count: 5}
                  - {name: off, product: Office LTSC 2021, count: 5}
                """));
    assertEquals(
        List.of("windows", "office"), r.applications().stream().map(a -> a.key()).toList());
    assertEquals(List.of(5, 5), r.last().hosts().get(0).counts());
    assertEquals(10, r.last().licensed());
  }

  /**
   * Retirement and ageing: 30 clients on day 0 (the 25th-30th licensed at 00:00, the first 24 at
   * 02:00) renew on day 7 at the same times and are switched off on day 10. A CMID counts until 30
   * days after its last request, not at that instant: the count is 30 on day 36, 24 on day 37 (the
   * six seen at 00:00 on day 7 have aged out at 00:00 on day 37), 0 on day 38. A fleet pinned to
   * kms2 by hand (slmgr /skms) uses it although DNS publishes only kms1; lifetimeDays 5 takes its 5
   * machines away on day 5.
   */
  @Test
  void retirement_clientsGoneAndCountAgesOut30DaysAfterTheLastRequest() {
    SimulationResult r =
        Simulation.run(
            yaml(
                """
                name: retire
                days: 40
                hosts: [{name: kms1}, {name: kms2}]
                dns: [{host: kms1}]
                fleets:
                  - {name: pc, product: Windows 11, count: 30, retireDay: 10}
                  - {name: pinned, product: Windows Server 2022, count: 5, kmsHost: kms2,
                     lifetimeDays: 5}
                """));
    assertEquals(35, at(r, 4).clients());
    assertEquals(30, at(r, 5).clients());
    assertEquals(0, at(r, 10).clients());
    assertEquals(30, count(at(r, 36), 0));
    assertEquals(24, count(at(r, 37), 0));
    assertEquals(0, count(at(r, 38), 0));
    assertEquals(5, count(at(r, 4), 1), "the pinned servers counted on kms2");
    assertEquals(5, at(r, 4).hosts().get(1).dependents());
    assertEquals(0.0, r.summary().licensedShareAtEnd());
  }

  /**
   * Out-of-tolerance grace: 25 clients licensed on day 0; on day 10 their hardware changes while
   * the host is down (outage from day 10 for 40 days). Each loses its activation and has 30 days of
   * out-of-tolerance grace, retrying every 2 h in vain: 25 in OOT grace on days 10-39, 25 in
   * notification on day 40 (grace ended at day 40 00:00), and licensed again once the host is back
   * on day 50 and the count reaches 25. Without the outage the change costs nothing: the attempt at
   * once is answered and they are licensed again on the same day.
   */
  @Test
  void hardwareChange_whileTheHostIsDown_ootGraceFor30DaysThenNotification() {
    SimulationResult r =
        Simulation.run(
            yaml(
                """
                name: hardware
                days: 52
                hosts: [{name: kms1, outages: [{day: 10, days: 40}]}]
                fleets: [{name: pc, product: Windows 11, count: 25, hardwareChangeDay: 10}]
                """));
    assertEquals(25, at(r, 9).licensed());
    assertEquals(25, at(r, 10).ootGrace());
    assertEquals(25, at(r, 39).ootGrace());
    assertEquals(25, at(r, 40).notification());
    assertEquals(40.0, r.summary().firstNotificationDay());
    assertEquals(25, at(r, 51).licensed());

    SimulationResult up =
        Simulation.run(
            yaml(
                """
                name: hardware, host up
                days: 12
                hosts: [{name: kms1}]
                fleets: [{name: pc, product: Windows 11, count: 25, hardwareChangeDay: 10}]
                """));
    for (Sample s : up.samples()) {
      assertEquals(0, s.ootGrace(), "day " + s.day());
    }
    assertEquals(25, at(up, 10).licensed());
  }
}
