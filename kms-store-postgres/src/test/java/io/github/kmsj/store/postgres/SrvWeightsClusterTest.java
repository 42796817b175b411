package io.github.kmsj.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.dns.SrvLocator;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.TestProduct;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Issue 15's motivating fleet: 40 Windows clients (N 25) find two hosts through two {@code
 * _vlmcs._tcp} SRV records of weight 50 on the real BIND test server and split about evenly between
 * them. On one PostgreSQL database every client activates at its retry, since both hosts count all
 * 40; on two separate file stores none does, since each host counts only its own ~20.
 */
final class SrvWeightsClusterTest {
  private static final String ZONE = "open.test.";
  private static final String DOMAIN = "pgcluster.open.test.";
  private static final int CLIENTS = 40;
  private static final Name TARGET = Name.fromConstantString("kms.pgcluster.open.test.");

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> hosts = new ArrayList<>();

  @BeforeEach
  void dns() throws IOException {
    requireDns();
    update(u -> u.delete(srvName(), Type.SRV));
    // The SRV target, resolved through the same server as the records: 127.0.0.1.
    update(
        u -> {
          u.delete(TARGET, Type.A);
          u.add(new ARecord(TARGET, DClass.IN, 60, InetAddress.getLoopbackAddress()));
        });
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void fortyClients_twoHostsOnOneDatabase_allActivateAtTheirRetry() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      KmsHost a = host(pg(db, "a"));
      KmsHost b = host(pg(db, "b"));
      Map<String, Integer> split = new HashMap<>();
      List<ActivationResult> first = fleet(a, b, split);
      assertTrue(
          split.values().stream().allMatch(n -> n >= 10 && n <= 30),
          "both hosts got a share of the 40 clients: " + split);
      assertTrue(first.stream().anyMatch(r -> !r.isActivated()), "the first 24 are below 25");
      List<ActivationResult> retry = retry();
      for (ActivationResult r : retry) {
        assertTrue(r.isActivated(), "every client activates at its retry: " + r);
        assertEquals(CLIENTS, ((ActivationResult.Activated) r).currentClientCount());
      }
    }
  }

  @Test
  void fortyClients_twoHostsCountingAlone_eachCountsOnlyItsShare() throws Exception {
    KmsHost a =
        host(
            io.github.kmsj.core.store.FileHostStore.builder()
                .directory(dir.resolve("file-a"))
                .build());
    KmsHost b =
        host(
            io.github.kmsj.core.store.FileHostStore.builder()
                .directory(dir.resolve("file-b"))
                .build());
    Map<String, Integer> split = new HashMap<>();
    fleet(a, b, split);
    List<ActivationResult> retry = retry();
    for (int i = 0; i < CLIENTS; i++) {
      ActivationResult r = retry.get(i);
      int share = split.get(hosts.get(i));
      assertEquals(share, count(r), "each host counts only the clients it served: " + split);
      // With an even split (about 20 each, as a 50/50 weight gives) nobody reaches 25.
      assertEquals(share >= 25, r.isActivated(), r.toString());
    }
  }

  private static int count(ActivationResult r) {
    if (r instanceof ActivationResult.Activated a) {
      return a.currentClientCount();
    }
    if (r instanceof ActivationResult.BelowThreshold b) {
      return b.currentClientCount();
    }
    throw new AssertionError("not answered: " + r);
  }

  /**
   * The first round: publishes both hosts' records and sends one request per client through SRV
   * discovery; records where each client went.
   */
  private List<ActivationResult> fleet(KmsHost a, KmsHost b, Map<String, Integer> split)
      throws IOException {
    int portA = serve(a);
    int portB = serve(b);
    update(u -> u.add(srv(portA)));
    update(u -> u.add(srv(portB)));
    List<ActivationResult> results = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      KmsClient client =
          KmsClient.builder()
              .timeouts(Duration.ofSeconds(10))
              .locator(
                  SrvLocator.builder()
                      .server(dnsServer(), Duration.ofSeconds(3))
                      .random(new SplittableRandom(1000 + i))
                      .build())
              .build();
      ActivationResult r =
          client.activate(Target.discover(DOMAIN), TestProduct.WINDOWS_10_PRO.request(cmid(i)));
      results.add(r);
      hosts.add(hostOf(r));
      split.merge(hostOf(r), 1, Integer::sum);
    }
    return results;
  }

  /**
   * The retry after the activation interval: each client goes back to the host that answered it, as
   * Windows does with the host it cached.
   */
  private List<ActivationResult> retry() {
    KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(10)).build();
    List<ActivationResult> results = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String host = hosts.get(i);
      int port = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
      results.add(
          client.activate(
              Target.of("127.0.0.1", port), TestProduct.WINDOWS_10_PRO.request(cmid(i))));
    }
    return results;
  }

  private static String hostOf(ActivationResult r) {
    if (r instanceof ActivationResult.Activated a) {
      return a.host();
    }
    if (r instanceof ActivationResult.BelowThreshold b) {
      return b.host();
    }
    throw new AssertionError("not answered: " + r);
  }

  private PostgresHostStore pg(TestDatabase db, String id) {
    return PostgresHostStore.builder()
        .dataSource(db.dataSource())
        .hostId(id)
        .walDirectory(dir.resolve("wal-" + id))
        .build();
  }

  private KmsHost host(io.github.kmsj.core.store.HostStore store) {
    KmsHost h = KmsHost.builder().store(store).build();
    open.add(0, h);
    return h;
  }

  private int serve(KmsHost host) {
    KmsServer server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start();
    open.add(0, server);
    return server.port();
  }

  private static Guid cmid(int i) {
    return Guid.of(new UUID(0x5e1a7e0000000000L, 0x8000000000000000L | i));
  }

  private static Name srvName() {
    return Name.fromConstantString("_vlmcs._tcp." + DOMAIN);
  }

  private static SRVRecord srv(int port) {
    return new SRVRecord(srvName(), DClass.IN, 60, 0, 50, port, TARGET);
  }

  private static void requireDns() {
    if (System.getenv("DNS_PORT") == null && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but no BIND test server (.ci/dns/with-test-dns.sh)");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getenv("DNS_PORT") != null, "no BIND test server (.ci/dns/with-test-dns.sh)");
    TestDatabase.require();
  }

  private static InetSocketAddress dnsServer() {
    return new InetSocketAddress(
        System.getenv().getOrDefault("DNS_HOST", "127.0.0.1"),
        Integer.parseInt(System.getenv("DNS_PORT")));
  }

  private static void update(java.util.function.Consumer<Update> change) throws IOException {
    Update u = new Update(Name.fromString(ZONE));
    change.accept(u);
    SimpleResolver r = new SimpleResolver(dnsServer());
    r.setTimeout(Duration.ofSeconds(3));
    Message response = r.send(u);
    assertEquals(Rcode.NOERROR, response.getRcode(), () -> "SRV update failed: " + response);
  }
}
