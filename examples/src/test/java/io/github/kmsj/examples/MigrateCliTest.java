package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.Guid;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code kmsj migrate check}, {@code kmsj epid decode} and the probe fixes against kmsj hosts on
 * loopback: documented statuses, JSON and JUnit output that parse back, probes that count nothing.
 */
final class MigrateCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CliRun cli = new CliRun();
  private Host old;
  private Host neu;

  /** A kmsj host on loopback without the CLI's MBean, so that two fit in one JVM. */
  record Host(KmsHost host, KmsServer server) implements AutoCloseable {
    static Host start(String... groups) {
      KmsHost.Builder b = KmsHost.builder();
      if (groups.length > 0) {
        b.hostKeyGroups(List.of(groups));
      }
      KmsHost h = b.build();
      KmsServer s =
          KmsServer.builder(h.rpcHandler())
              .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .build()
              .start();
      return new Host(h, s);
    }

    @Override
    public void close() {
      server.close();
      host.close();
    }
  }

  @TempDir Path dir;

  private int run(String... args) {
    return cli.run(args);
  }

  private String outText() {
    return cli.outText();
  }

  private String errText() {
    return cli.errText();
  }

  @AfterEach
  void stop() {
    if (old != null) {
      old.close();
    }
    if (neu != null) {
      neu.close();
    }
  }

  private static String address(Host h) {
    return "127.0.0.1:" + h.server().port();
  }

  private static Map<Guid, Integer> counts(Host h) {
    LedgerState l = h.host().state(h.host().now()).ledger();
    return l.counts();
  }

  @Test
  void migrateCheck_newCoversLess_status3JsonAndJunitNameTheProduct() throws Exception {
    old = Host.start();
    neu = Host.start("windows-server-2025");
    Path junit = dir.resolve("migrate.xml");
    int status =
        run(
            "migrate",
            "check",
            "--old",
            address(old),
            "--new",
            address(neu),
            "--json",
            "--junit",
            junit.toString());
    assertEquals(Kmsj.REFUSED, status, errText() + outText());
    JsonNode doc = JSON.readTree(outText());
    assertFalse(doc.get("passed").asBoolean());
    JsonNode coverage = null;
    for (JsonNode c : doc.get("checks")) {
      assertTrue(
          c.has("id") && c.has("status") && c.has("summary") && c.has("details"), c.toString());
      if (c.get("id").asText().equals("coverage")) {
        coverage = c;
      }
    }
    assertEquals("FAIL", coverage.get("status").asText());
    assertTrue(coverage.get("summary").asText().contains("Office LTSC 2024"), coverage.toString());

    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
    Element suite = xml.getDocumentElement();
    assertEquals("testsuite", suite.getTagName());
    assertEquals("1", suite.getAttribute("failures"));
    assertEquals(
        doc.get("checks").size(),
        Integer.parseInt(suite.getAttribute("tests")),
        "one case per check");
    assertTrue(
        ((Element) xml.getElementsByTagName("failure").item(0))
            .getAttribute("message")
            .contains("Office LTSC 2024"));
  }

  @Test
  void migrateCheck_sameGroups_status0_tenChecksCountNothing() throws Exception {
    old = Host.start();
    neu = Host.start();
    assertEquals(Kmsj.OK, run("probe", address(old), "--random-cmid", "--requests", "3"));
    Map<Guid, Integer> before = counts(old);
    for (int i = 0; i < 10; i++) {
      assertEquals(
          Kmsj.OK,
          run("migrate", "check", "--old", address(old), "--new", address(neu)),
          outText());
    }
    assertTrue(outText().contains("PASS  coverage"), outText());
    assertTrue(outText().contains("(kmsj)"), outText());
    assertEquals(before, counts(old), "ten checks left the count as it was");
    assertEquals(3, before.values().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void migrateCheck_unreachableNew_failNamingIt() {
    old = Host.start();
    int status =
        run("migrate", "check", "--old", address(old), "--new", "127.0.0.1:1", "--timeout", "2");
    assertEquals(Kmsj.REFUSED, status);
    assertTrue(
        outText().contains("FAIL  tcp.new        new host 127.0.0.1:1 unreachable"), outText());
  }

  @Test
  void migrateCheck_sameHostTwice_oneLineUsageError() {
    assertEquals(
        Kmsj.USAGE, run("migrate", "check", "--old", "127.0.0.1", "--new", "127.0.0.1:1688"));
    assertEquals(
        "kmsj migrate check: the old and the new host are the same: 127.0.0.1:1688\n", errText());
  }

  @Test
  void probe_defaultIsTheUncountedProbe_requestsShareOneAssociation() {
    old = Host.start();
    long acceptedBefore = old.server().stats().accepted();
    assertEquals(Kmsj.OK, run("probe", address(old), "--requests", "5"));
    assertEquals(1, old.server().stats().accepted() - acceptedBefore, "one association");
    assertEquals(
        0, counts(old).values().stream().mapToInt(Integer::intValue).sum(), "nothing counted");
    assertEquals(Kmsj.OK, run("probe", address(old), "--requests", "3", "--new-connection"));
    assertEquals(4, old.server().stats().accepted() - acceptedBefore, "a connection per request");
    assertEquals(
        Kmsj.OK, run("probe", address(old), "--cmid", "11111111-2222-4333-8444-555555555555"));
    assertEquals(
        1, counts(old).values().stream().mapToInt(Integer::intValue).sum(), "--cmid counts");
  }

  @Test
  void probe_bulkClients_summaryAndCounts_badLineSendsNothing() throws Exception {
    old = Host.start();
    Path bad = dir.resolve("bad.txt");
    Files.writeString(
        bad,
        "# cmid, workstation, product\n"
            + "11111111-2222-4333-8444-000000000001,pc-1.corp.test\n"
            + "not-a-guid,pc-2.corp.test\n");
    assertEquals(Kmsj.USAGE, run("probe", address(old), "--clients", bad.toString()));
    assertEquals("kmsj probe: " + bad + ":3: not a CMID (a GUID): 'not-a-guid'\n", errText());
    assertEquals(
        0, counts(old).values().stream().mapToInt(Integer::intValue).sum(), "nothing sent");

    Path good = dir.resolve("clients.txt");
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      b.append(
          String.format(
              "11111111-2222-4333-8444-%012d,pc-%d.corp.test%s%n",
              i, i, i > 25 ? ",Office LTSC 2024" : ""));
    }
    Files.writeString(good, b);
    assertEquals(Kmsj.OK, run("probe", address(old), "--clients", good.toString()), errText());
    assertTrue(
        outText().contains("summary: 30 requests, 30 answered (1 activated, 29 below threshold)")
            || outText().contains("summary: 30 requests, 30 answered"),
        outText());
    assertEquals(30, counts(old).values().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void epidDecode_recordedFromVlmcsd_groupAndFailedCheck_status3() throws Exception {
    assertEquals(
        Kmsj.REFUSED, run("epid", "decode", "05426-00206-552-966522-03-9226-9200.0000-2712021"));
    assertTrue(outText().contains("group          00206 -> windows-server-2019"), outText());
    assertTrue(outText().contains("FAIL buildForGroup"), outText());
    assertEquals(
        Kmsj.OK,
        run("epid", "decode", "03612-00206-555-568723-03-1033-17763.0000-1942019", "--json"));
    JsonNode doc = JSON.readTree(outText());
    assertEquals("windows-server-2019", doc.at("/hostKeyGroups/0/id").asText());
    assertTrue(doc.get("plausible").asBoolean());
  }

  @Test
  void epidDecode_notAnEpid_oneLineUsageError() {
    assertEquals(Kmsj.USAGE, run("epid", "decode", "12345"));
    assertEquals(
        "kmsj epid decode: not an ePID (PPPPP-GGGGG-KKK-KKKKKK-CC-LCID-BUILD.0000-DDDYYYY): 12345\n",
        errText());
  }

  @Test
  void dnsList_noDomainEmptySearchList_saysSoStatus1() {
    // No DNS server is needed: an empty search list is answered without a query.
    assertEquals(
        Kmsj.FAILED, run("dns", "list", "--server", "127.0.0.1:1", "--timeout", "1", "--no-probe"));
    assertTrue(
        outText().contains("_vlmcs._tcp in search list") || errText().contains("search list"),
        outText() + errText());
  }

  @Test
  void dnsList_deadServer_oneLineTimedOutError() {
    assertEquals(
        Kmsj.FAILED,
        run("dns", "list", "corp.test", "--server", "127.0.0.1:9", "--timeout", "1", "--no-probe"));
    String e = errText();
    assertEquals(1, e.lines().count(), e);
    assertTrue(
        e.startsWith("kmsj dns list: lookup failed: SRV lookup of _vlmcs._tcp.corp.test."), e);
    assertFalse(e.contains("(null)"), e);
  }

  @Test
  void forecast_stoppedHost_thresholdDaysAndTheClone() throws Exception {
    Path data = dir.resolve("data");
    KmsHost h =
        KmsHost.builder()
            .store(io.github.kmsj.core.store.FileHostStore.builder().directory(data).build())
            .build();
    KmsServer s =
        KmsServer.builder(h.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start();
    String target = "127.0.0.1:" + s.port();
    try {
      for (String ws : List.of("pc-a.corp.test", "pc-b.corp.test", "pc-c.corp.test")) {
        assertEquals(
            Kmsj.OK,
            run(
                "probe",
                target,
                "--cmid",
                "c10e0000-0000-4000-8000-000000000001",
                "--workstation",
                ws));
      }
      assertEquals(Kmsj.OK, run("probe", target, "--random-cmid", "--requests", "5"));
    } finally {
      s.close();
      h.close();
    }
    java.time.Instant before = java.time.Instant.now();
    assertEquals(
        Kmsj.OK,
        run("forecast", "--data-dir", data.toString(), "--renewing", "0", "--json"),
        errText());
    JsonNode doc = JSON.readTree(outText());
    JsonNode windows = doc.at("/applications/0");
    assertEquals(6, windows.get("count").asInt(), "the three clones count as one");
    JsonNode n5 = windows.at("/thresholds/0");
    assertEquals(5, n5.get("threshold").asInt());
    java.time.Instant below = java.time.Instant.parse(n5.get("fallsBelowAt").asText());
    assertTrue(
        below.isAfter(before.plus(java.time.Duration.ofDays(29)))
            && below.isBefore(before.plus(java.time.Duration.ofDays(31))),
        "30 days after the second client: " + below);
    assertTrue(windows.at("/thresholds/1/alreadyBelow").asBoolean(), "6 < 25");
    assertEquals("c10e0000-0000-4000-8000-000000000001", doc.at("/clones/0/cmid").asText());
    assertEquals(3, doc.at("/clones/0/workstationNames").size());
  }

  @Test
  void forecast_notAnExport_oneLineUsageError() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"not\": \"an export\"}");
    assertEquals(Kmsj.USAGE, run("forecast", "--in", bad.toString()));
    assertEquals(1, errText().lines().count(), errText());
    assertTrue(errText().startsWith("kmsj forecast: cannot read " + bad), errText());
  }

  @Test
  void migrateCheck_adminEndpoints_clientsMovedAndNotYetRetireSafe_wrongTokenFails()
      throws Exception {
    old = Host.start();
    neu = Host.start();
    String token = "migrate-check-test-token-0123456789";
    Path tokenFile = dir.resolve("admin.token");
    Files.writeString(tokenFile, token + "\n");
    io.github.kmsj.admin.http.AdminHttpServer oldHttp = adminHttp(old, token);
    io.github.kmsj.admin.http.AdminHttpServer newHttp = adminHttp(neu, token);
    try {
      for (String cmid :
          List.of("a1000000-0000-4000-8000-000000000001", "a1000000-0000-4000-8000-000000000002")) {
        assertEquals(Kmsj.OK, run("probe", address(old), "--cmid", cmid));
        assertEquals(Kmsj.OK, run("probe", address(neu), "--cmid", cmid));
      }
      String[] args = {
        "migrate",
        "check",
        "--old",
        address(old),
        "--new",
        address(neu),
        "--old-admin",
        "http://127.0.0.1:" + oldHttp.address().getPort(),
        "--new-admin",
        "http://127.0.0.1:" + newHttp.address().getPort(),
        "--admin-token-file",
        tokenFile.toString(),
        "--json"
      };
      assertEquals(Kmsj.OK, run(args), errText() + outText());
      JsonNode moved = null;
      JsonNode retire = null;
      for (JsonNode c : JSON.readTree(outText()).get("checks")) {
        if (c.get("id").asText().equals("clients.moved")) {
          moved = c;
        } else if (c.get("id").asText().equals("retire.safe")) {
          retire = c;
        }
      }
      assertEquals("PASS", moved.get("status").asText(), moved.toString());
      assertTrue(moved.get("summary").asText().startsWith("2 client(s) moved"), moved.toString());
      assertEquals("WARN", retire.get("status").asText(), retire.toString());
      assertTrue(
          retire
              .get("summary")
              .asText()
              .startsWith("not yet safe to retire: the old host saw a client 0 min ago"),
          retire.toString());

      Files.writeString(tokenFile, "a-wrong-token-of-sufficient-length\n");
      assertEquals(Kmsj.REFUSED, run(args));
      assertTrue(outText().contains("answered 401"), outText());
    } finally {
      oldHttp.close();
      newHttp.close();
    }
  }

  @Test
  void migrateCheck_oneAdminEndpointOnly_oneLineUsageError() {
    assertEquals(
        Kmsj.USAGE,
        run(
            "migrate",
            "check",
            "--old",
            "127.0.0.1:1",
            "--new",
            "127.0.0.1:2",
            "--old-admin",
            "http://127.0.0.1:9"));
    assertEquals(
        "kmsj migrate check: give both --old-admin and --new-admin, or neither\n", errText());
  }

  private static io.github.kmsj.admin.http.AdminHttpServer adminHttp(Host h, String token) {
    return io.github.kmsj.admin.http.AdminHttpServer.builder(h.host())
        .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .token(io.github.kmsj.admin.http.AdminToken.of(token))
        .server(h.server())
        .admin(io.github.kmsj.core.admin.HostAdmin.builder(h.host()).server(h.server()).build())
        .build()
        .start();
  }
}
