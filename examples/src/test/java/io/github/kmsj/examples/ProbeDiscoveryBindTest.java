package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * {@code kmsj probe .DOMAIN --dns-server S} against the real BIND test server: the targets resolve
 * through that server (the names exist nowhere else), the probe names the SRV record that answered
 * and why the one before it failed, and with no record answering it exits 4 listing every failure.
 */
@EnabledIfEnvironmentVariable(named = "DNS_PORT", matches = "\\d+")
final class ProbeDiscoveryBindTest {
  private static final String DOMAIN = "probe.corp.test";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private KmsHost host;
  private KmsServer server;
  private int deadPort;
  @TempDir Path dir;

  private int run(String... args) {
    out.reset();
    err.reset();
    return Kmsj.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String dnsServer() {
    return System.getenv().getOrDefault("DNS_HOST", "127.0.0.1") + ":" + System.getenv("DNS_PORT");
  }

  private static void update(Update u) throws Exception {
    String[] hp = dnsServer().split(":");
    SimpleResolver r = new SimpleResolver(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
    r.setTSIGKey(
        new TSIG(
            TSIG.HMAC_SHA256,
            Name.fromString(System.getenv().getOrDefault("DNS_TSIG_KEY_NAME", "kmsj-test") + "."),
            Files.readString(Path.of(System.getenv("DNS_TSIG_SECRET_FILE"))).strip()));
    Message m = r.send(u);
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
  }

  @BeforeEach
  void start() throws Exception {
    host = KmsHost.builder().build();
    server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start();
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    Update u = new Update(Name.fromString("corp.test."));
    Name srv = Name.fromString("_vlmcs._tcp." + DOMAIN + ".");
    u.delete(srv, Type.SRV);
    for (String h : new String[] {"kms-dead", "kms-live"}) {
      u.replace(
          new ARecord(
              Name.fromString(h + "." + DOMAIN + "."),
              DClass.IN,
              300,
              InetAddress.getByName("127.0.0.1")));
    }
    u.add(srv, Type.SRV, 300, "0 0 " + deadPort + " kms-dead." + DOMAIN + ".");
    u.add(srv, Type.SRV, 300, "10 0 " + server.port() + " kms-live." + DOMAIN + ".");
    update(u);
  }

  @AfterEach
  void stop() {
    server.close();
    host.close();
  }

  @Test
  void probe_deadFirstRecord_failsOverAndNamesTheRecordThatAnswered() {
    assertEquals(
        Kmsj.OK,
        run("probe", "." + DOMAIN, "--dns-server", dnsServer(), "--timeout", "2"),
        err.toString(StandardCharsets.UTF_8));
    String o = out.toString(StandardCharsets.UTF_8);
    assertTrue(o.contains("SRV _vlmcs._tcp." + DOMAIN + ".: 2 record(s)"), o);
    assertTrue(
        o.contains(
            "kms-dead."
                + DOMAIN
                + ":"
                + deadPort
                + " at 127.0.0.1:"
                + deadPort
                + ": failed over: CONNECT failed"),
        o);
    assertTrue(
        o.contains(
            "kms-live."
                + DOMAIN
                + ":"
                + server.port()
                + " at 127.0.0.1:"
                + server.port()
                + ": answered (SRV record priority 10 weight 0)"),
        o);
    assertTrue(o.contains("#1 below threshold"), o);
  }

  @Test
  void probe_noRecordAnswers_status4ListingEveryFailure() {
    server.close();
    assertEquals(
        Kmsj.NO_HOST, run("probe", "." + DOMAIN, "--dns-server", dnsServer(), "--timeout", "2"));
    String o = out.toString(StandardCharsets.UTF_8);
    assertTrue(o.contains("no KMS host found for _vlmcs._tcp." + DOMAIN + "."), o);
    assertTrue(o.contains("kms-dead." + DOMAIN + ":" + deadPort + ": CONNECT failed"), o);
    assertTrue(o.contains("kms-live." + DOMAIN + ":" + server.port() + ": CONNECT failed"), o);
  }
}
