package io.github.kmsj.dns;

import static io.github.kmsj.dns.FakeResolver.srv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.LocatedHosts;
import io.github.kmsj.core.client.LocatorException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

final class SrvLocatorTest {

  private final FakeResolver dns = new FakeResolver();

  private SrvLocator locator(String... searchPath) {
    return SrvLocator.builder()
        .resolver(dns)
        .random(new SplittableRandom(1))
        .searchPath(List.of(searchPath))
        .build();
  }

  private static List<String> hosts(LocatedHosts found) {
    return found.candidates().stream().map(HostCandidate::host).collect(Collectors.toList());
  }

  @Test
  void locate_records_candidatesByPriorityWithPortsAndAttempt() {
    dns.answer(
        "_vlmcs._tcp.corp.test",
        Type.SRV,
        srv("_vlmcs._tcp.corp.test", 10, 0, 1689, "kms2.corp.test"),
        srv("_vlmcs._tcp.corp.test", 0, 0, 1688, "kms1.corp.test"));

    LocatedHosts found = locator().locate("corp.test");

    assertEquals("_vlmcs._tcp.corp.test.", found.query());
    assertEquals(
        List.of(
            new HostCandidate("kms1.corp.test", 1688, 0, 0),
            new HostCandidate("kms2.corp.test", 1689, 10, 0)),
        found.candidates());
    assertEquals(1, found.attempts().size());
    assertTrue(
        found.attempts().get(0).contains("_vlmcs._tcp.corp.test. via FakeResolver"),
        found.attempts().get(0));
  }

  @Test
  void locate_domainWithoutFinalDot_queriedAsAbsolute() {
    locator().locate("corp.test");
    assertEquals("_vlmcs._tcp.corp.test.", dns.sent.get(0).getQuestion().getName().toString());
    assertTrue(dns.sent.get(0).getQuestion().getName().isAbsolute());
  }

  @Test
  void locate_nxdomain_emptyWithAttempt() {
    LocatedHosts found = locator().locate("nowhere.test.");
    assertTrue(found.isEmpty());
    assertTrue(found.attempts().get(0).endsWith("NXDOMAIN"), found.attempts().toString());
  }

  @Test
  void locate_noSrvRecords_emptyWithNodataAttempt() {
    dns.answer("_vlmcs._tcp.corp.test", Type.SRV);
    LocatedHosts found = locator().locate("corp.test");
    assertTrue(found.isEmpty());
    assertTrue(found.attempts().get(0).contains("no SRV records"), found.attempts().toString());
  }

  @Test
  void locate_dotTarget_emptyAndSaysNotAvailable() {
    dns.answer("_vlmcs._tcp.corp.test", Type.SRV, srv("_vlmcs._tcp.corp.test", 0, 0, 0, "."));
    LocatedHosts found = locator().locate("corp.test");
    assertTrue(found.isEmpty());
    assertTrue(
        found.attempts().get(0).contains("decidedly not available"), found.attempts().toString());
  }

  @Test
  void locate_servfail_throwsWithAttempts() {
    dns.rcode("_vlmcs._tcp.corp.test", Type.SRV, Rcode.SERVFAIL);
    LocatorException e = assertThrows(LocatorException.class, () -> locator().locate("corp.test"));
    assertTrue(e.attempts().get(0).endsWith("SERVFAIL"), e.attempts().toString());
  }

  @Test
  void locate_timeout_throwsKeepingCause() {
    dns.timeout("_vlmcs._tcp.corp.test", Type.SRV);
    LocatorException e = assertThrows(LocatorException.class, () -> locator().locate("corp.test"));
    assertInstanceOf(SocketTimeoutException.class, e.getCause());
    assertTrue(e.getMessage().contains("_vlmcs._tcp.corp.test."), e.getMessage());
  }

  @Test
  void locate_invalidDomain_rejected() {
    assertThrows(IllegalArgumentException.class, () -> locator().locate(""));
    assertThrows(IllegalArgumentException.class, () -> locator().locate("."));
    assertThrows(IllegalArgumentException.class, () -> locator().locate("corp test"));
  }

  @Test
  void locate_weights1And3_heavierFirstMoreOften() {
    dns.answer(
        "_vlmcs._tcp.corp.test",
        Type.SRV,
        srv("_vlmcs._tcp.corp.test", 0, 100, 1688, "light.corp.test"),
        srv("_vlmcs._tcp.corp.test", 0, 300, 1688, "heavy.corp.test"));
    SrvLocator locator = locator();
    int heavyFirst = 0;
    for (int i = 0; i < 4000; i++) {
      if (locator.locate("corp.test").candidates().get(0).host().equals("heavy.corp.test")) {
        heavyFirst++;
      }
    }
    assertEquals(0.75, heavyFirst / 4000.0, 0.03);
  }

  @Test
  void locateNull_searchList_firstDomainWithRecordsWins() {
    dns.answer("_vlmcs._tcp.b.test", Type.SRV, srv("_vlmcs._tcp.b.test", 0, 0, 1688, "kms.b.test"));
    dns.answer("_vlmcs._tcp.c.test", Type.SRV, srv("_vlmcs._tcp.c.test", 0, 0, 1688, "kms.c.test"));

    LocatedHosts found = locator("a.test", "b.test", "c.test").locate(null);

    assertEquals(List.of("kms.b.test"), hosts(found));
    assertEquals(2, found.attempts().size());
    assertTrue(
        found.attempts().get(0).contains("_vlmcs._tcp.a.test.")
            && found.attempts().get(0).endsWith("NXDOMAIN"));
    assertEquals(2, dns.sent.size());
  }

  @Test
  void locateFromSearchList_nothingAnywhere_emptyWithOneAttemptPerDomain() {
    LocatedHosts found = locator("a.test", "b.test").locateFromSearchList();
    assertTrue(found.isEmpty());
    assertEquals(2, found.attempts().size());
  }

  @Test
  void locateFromSearchList_failureThenRecords_recordsAndFailureInAttempts() {
    dns.rcode("_vlmcs._tcp.a.test", Type.SRV, Rcode.SERVFAIL);
    dns.answer("_vlmcs._tcp.b.test", Type.SRV, srv("_vlmcs._tcp.b.test", 0, 0, 1688, "kms.b.test"));
    LocatedHosts found = locator("a.test", "b.test").locateFromSearchList();
    assertEquals(List.of("kms.b.test"), hosts(found));
    assertTrue(found.attempts().get(0).endsWith("SERVFAIL"));
  }

  @Test
  void locateFromSearchList_failureAndNoRecords_throws() {
    dns.timeout("_vlmcs._tcp.a.test", Type.SRV);
    LocatorException e =
        assertThrows(
            LocatorException.class, () -> locator("a.test", "b.test").locateFromSearchList());
    assertEquals(2, e.attempts().size());
  }

  @Test
  void locateFromSearchList_dotTargetInFirstDomain_stopsSearch() {
    dns.answer("_vlmcs._tcp.a.test", Type.SRV, srv("_vlmcs._tcp.a.test", 0, 0, 0, "."));
    dns.answer("_vlmcs._tcp.b.test", Type.SRV, srv("_vlmcs._tcp.b.test", 0, 0, 1688, "kms.b.test"));
    LocatedHosts found = locator("a.test", "b.test").locateFromSearchList();
    assertTrue(found.isEmpty());
    assertEquals(1, dns.sent.size());
  }

  @Test
  void locateFromSearchList_emptySearchList_emptyAndSaysSo() {
    LocatedHosts found = locator().locateFromSearchList();
    assertTrue(found.isEmpty());
    assertTrue(found.attempts().get(0).contains("search list is empty"));
  }
}
