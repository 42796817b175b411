package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.admin.DnsPublishing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@code cdns} on a running {@code kmsj host} against the real BIND test server ({@code
 * .ci/dns/with-test-dns.sh}): the removal sticks across a restart with only {@code --data-dir}, and
 * {@code sdns} publishes again. Zone {@code open.test.} takes unsigned updates; this test's target
 * name is its own, so other hosts' records are untouched.
 */
@EnabledIfEnvironmentVariable(named = "DNS_PORT", matches = "\\d+")
final class CdnsBindTest {
  private static final String TARGET = "kmsj-cdns-test.open.test.";

  @TempDir Path tmp;

  private static InetSocketAddress dnsServer() {
    return new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("DNS_PORT")));
  }

  /** This test host's SRV records in open.test, as "priority weight port target". */
  private static List<String> records() {
    try {
      SimpleResolver r = new SimpleResolver(dnsServer());
      r.setTimeout(Duration.ofSeconds(3));
      Message response =
          r.send(
              Message.newQuery(
                  Record.newRecord(
                      Name.fromString("_vlmcs._tcp.open.test."), Type.SRV, DClass.IN)));
      List<String> out = new ArrayList<>();
      for (Record rec : response.getSection(Section.ANSWER)) {
        if (rec instanceof SRVRecord srv && srv.getTarget().toString().equals(TARGET)) {
          out.add(srv.rdataToString());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void noRecordYet() {
    assertEquals(List.of(), records(), "left over from an earlier run");
  }

  @Test
  void cdns_runningHost_removalSticksAcrossARestartWithOnlyTheDataDir() throws Exception {
    Path data = tmp.resolve("data");
    HostRuntime first =
        HostCommand.build(
                "--data-dir",
                data.toString(),
                "--listen",
                "127.0.0.1:0",
                "--dns-host",
                TARGET,
                "--dns-domain",
                "open.test",
                "--dns-server",
                "127.0.0.1:" + System.getenv("DNS_PORT"),
                "--dns-priority",
                "3")
            .start();
    int port = first.server().port();
    try {
      DnsPublishing.State published = awaitPublished(first);
      assertTrue(published.enabled());
      assertEquals(List.of("3 0 " + port + " " + TARGET), records());

      first.admin().setDnsPublishing(false, "cli");

      assertEquals(List.of(), records(), "cdns removes this host's record at once");
      assertFalse(first.admin().view().dns().orElseThrow().enabled());
    } finally {
      first.close();
    }
    assertTrue(
        Files.readString(data.resolve(SavedConfig.FILE_NAME)).contains("dns-publish = false"));

    HostRuntime second = HostCommand.build("--data-dir", data.toString()).start();
    try {
      assertEquals(List.of(), records(), "the removal sticks across the restart");
      DnsPublishing.State state = second.admin().view().dns().orElseThrow();
      assertFalse(state.enabled());
      assertTrue(state.nextAttempt().isEmpty(), "no re-registration is scheduled");

      second.admin().setDnsPublishing(true, "cli");
      assertEquals(List.of("3 0 " + second.server().port() + " " + TARGET), records());
      second.admin().setDnsPublishing(false, "cli");
      assertEquals(List.of(), records());
    } finally {
      second.close();
    }
  }

  /** The first registration runs on the publisher's thread: wait for it, bounded. */
  private static DnsPublishing.State awaitPublished(HostRuntime host) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      DnsPublishing.State s = host.admin().view().dns().orElseThrow();
      if (!s.lastResults().isEmpty()) {
        assertTrue(s.lastResults().get(0).success(), s.toString());
        return s;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not published within 5 s");
  }
}
