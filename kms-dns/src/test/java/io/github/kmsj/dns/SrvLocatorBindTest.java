package io.github.kmsj.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.LocatedHosts;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link SrvLocator} against the real BIND test server; see {@link TestDnsServer}. */
@EnabledIfEnvironmentVariable(named = "DNS_PORT", matches = "\\d+")
final class SrvLocatorBindTest {

  @BeforeEach
  void clearRecords() {
    TestDnsServer.clearSrv("corp.test", "disc.corp.test");
    TestDnsServer.clearSrv("corp.test", "none.corp.test");
  }

  private static SrvLocator locator(long seed) {
    return SrvLocator.builder()
        .server(TestDnsServer.address(), TestDnsServer.TIMEOUT)
        .random(new SplittableRandom(seed))
        .build();
  }

  @Test
  void locate_severalRecords_failoverOrderByPriority() {
    TestDnsServer.addSrv("corp.test", "disc.corp.test", 0, 10, 1688, "kms-a.corp.test");
    TestDnsServer.addSrv("corp.test", "disc.corp.test", 0, 30, 1688, "kms-b.corp.test");
    TestDnsServer.addSrv("corp.test", "disc.corp.test", 10, 0, 1689, "kms-c.corp.test");
    TestDnsServer.addSrv("corp.test", "disc.corp.test", 20, 0, 1690, "kms-d.corp.test.");

    for (long seed = 0; seed < 10; seed++) {
      LocatedHosts found = locator(seed).locate("disc.corp.test");
      List<HostCandidate> c = found.candidates();
      assertEquals(4, c.size(), found::toString);
      assertEquals(
          Set.of("kms-a.corp.test", "kms-b.corp.test"),
          c.subList(0, 2).stream().map(HostCandidate::host).collect(Collectors.toSet()));
      assertEquals(new HostCandidate("kms-c.corp.test", 1689, 10, 0), c.get(2));
      assertEquals(new HostCandidate("kms-d.corp.test", 1690, 20, 0), c.get(3));
    }
  }

  @Test
  void locate_noRecords_emptyWithAttemptNamingServer() {
    LocatedHosts found = locator(1).locate("none.corp.test");
    assertTrue(found.isEmpty());
    String attempt = found.attempts().get(0);
    assertTrue(
        attempt.contains("_vlmcs._tcp.none.corp.test.") && attempt.contains("NXDOMAIN"), attempt);
    assertTrue(attempt.contains(String.valueOf(TestDnsServer.address().getPort())), attempt);
  }

  @Test
  void locate_dotTarget_emptyNotAvailable() {
    TestDnsServer.addSrv("corp.test", "disc.corp.test", 0, 0, 0, ".");
    LocatedHosts found = locator(1).locate("disc.corp.test");
    assertTrue(found.isEmpty());
    assertTrue(found.attempts().get(0).contains("not available"), found.attempts().toString());
  }

  @Test
  void locate_searchListOverDelegation_findsRecordsInChildZone() {
    TestDnsServer.clearSrv("branch.corp.test", "branch.corp.test");
    TestDnsServer.addSrv(
        "branch.corp.test", "branch.corp.test", 0, 0, 1688, "kms-br.branch.corp.test");
    SrvLocator locator =
        SrvLocator.builder()
            .resolver(TestDnsServer.resolver())
            .searchPath(List.of("none.corp.test", "branch.corp.test"))
            .build();
    LocatedHosts found = locator.locate(null);
    assertEquals(
        List.of(new HostCandidate("kms-br.branch.corp.test", 1688, 0, 0)), found.candidates());
    assertEquals(2, found.attempts().size());
  }
}
