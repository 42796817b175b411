package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.rpc.BindAckPdu;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.ResponsePdu;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's connection rules on a {@link ManualScheduler} over real loopback sockets: bind
 * deadline, PDU deadline, idle time from the last whole PDU, eviction order at the cap and the
 * per-address limit, each with its counter. One event loop, and a probe connection whose bind round
 * trips prove the loop has run every task posted before them (the deadline sweeps a step posted),
 * so "not closed yet" is checked, not assumed.
 */
final class ConnectionRulesTest {
  private final ManualScheduler time = new ManualScheduler(Instant.parse("2025-06-01T00:00:00Z"));
  private final List<RawKmsClient> clients = new ArrayList<>();
  private KmsServer server;
  private InetSocketAddress address;
  private RawKmsClient probe;

  private void start(Consumer<KmsServer.Builder> settings) throws IOException {
    start(KmsHost.builder().build().rpcHandler(), settings, true);
  }

  private void start(CallHandler handler, Consumer<KmsServer.Builder> settings, boolean withProbe)
      throws IOException {
    KmsServer.Builder builder =
        KmsServer.builder(handler)
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .eventLoops(1)
            .time(time)
            .daemon(true);
    settings.accept(builder);
    server = builder.build().start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    if (withProbe) {
      probe = connect();
      probe.bind();
    }
  }

  @AfterEach
  void stop() throws IOException {
    for (RawKmsClient c : clients) {
      c.close();
    }
    if (server != null) {
      server.stop(Duration.ofSeconds(2));
    }
  }

  private RawKmsClient connect() throws IOException {
    return connectFrom(null);
  }

  private RawKmsClient connectFrom(String source) throws IOException {
    RawKmsClient c =
        new RawKmsClient(
            address,
            ClientRpcOptions.WINDOWS,
            source == null ? null : InetAddress.getByName(source));
    clients.add(c);
    return c;
  }

  /**
   * Two bind round trips on the probe: the loop has read every byte sent before and run every task
   * posted before. One is not enough: the loop may answer the probe in the same iteration that
   * accepts an earlier connection, whose registration (and accept tick) runs in the next.
   */
  private void sync() throws IOException {
    for (int i = 0; i < 2; i++) {
      probe.send(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
      assertInstanceOf(BindAckPdu.class, probe.receive());
    }
  }

  private static byte[] bindBytes() {
    return PduCodec.encode(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
  }

  private static byte[] activation(int cmid) {
    return KmsClientCodec.encodeRequest(
            TestRequests.windows10(6, TestRequests.cmid(cmid), Instant.now()))
        .bytes();
  }

  @Test
  void bindTimeout_silentAndHalfABind_closedTenSecondsAfterAccept() throws Exception {
    start(b -> {});
    RawKmsClient silent = connect();
    RawKmsClient halfBind = connect();
    halfBind.writeRaw(Arrays.copyOf(bindBytes(), 10));
    sync();

    time.advance(Duration.ofSeconds(9));
    sync();
    assertEquals(0, server.stats().bindTimeouts(), "9 s after accept: still open");
    assertEquals(3, server.stats().openConnections());

    time.advance(Duration.ofSeconds(2));
    assertTrue(silent.isClosedByPeer(), "a silent connection goes at the bind deadline");
    assertTrue(halfBind.isClosedByPeer(), "so does one whose bind never completes");
    sync();
    assertEquals(2, server.stats().bindTimeouts());
    assertEquals(0, server.stats().slowPduTimeouts(), "the bind deadline came first");
    assertEquals(0, server.stats().idleClosed());
  }

  @Test
  void bindTimeout_boundInTime_notApplied() throws Exception {
    start(b -> b.bindTimeout(Duration.ofSeconds(2)));
    RawKmsClient client = connect();
    time.advance(Duration.ofSeconds(1));
    client.bind();
    time.advance(Duration.ofSeconds(5));
    assertTrue(
        client
            .activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()))
            .isVerified());
    assertEquals(0, server.stats().bindTimeouts());
  }

  @Test
  void pduTimeout_aByteEveryNineSeconds_closedTenSecondsAfterTheFirstByte() throws Exception {
    start(b -> {});
    RawKmsClient dribbler = connect();
    dribbler.bind();
    byte[] request = dribbler.requestBytes(activation(1));
    dribbler.writeRaw(Arrays.copyOfRange(request, 0, 1));
    sync();

    time.advance(Duration.ofSeconds(9));
    sync();
    dribbler.writeRaw(Arrays.copyOfRange(request, 1, 2));
    sync();
    assertEquals(0, server.stats().slowPduTimeouts(), "9 s after the first byte: still open");

    time.advance(Duration.ofSeconds(2));
    assertTrue(dribbler.isClosedByPeer(), "the byte at 9 s did not extend the PDU's 10 s");
    sync();
    assertEquals(1, server.stats().slowPduTimeouts());
    assertEquals(0, server.stats().idleClosed());
    assertEquals(0, server.stats().bindTimeouts());
  }

  @Test
  void pduTimeout_wholePdusInTime_restartTheClockForEachPdu() throws Exception {
    start(b -> {});
    RawKmsClient client = connect();
    client.bind();
    for (int i = 0; i < 3; i++) {
      byte[] request = client.requestBytes(activation(i));
      client.writeRaw(Arrays.copyOf(request, 20));
      sync();
      time.advance(Duration.ofSeconds(8));
      client.writeRaw(Arrays.copyOfRange(request, 20, request.length));
      assertInstanceOf(ResponsePdu.class, client.receive(), "PDU " + i + " took 8 s: answered");
    }
    assertEquals(0, server.stats().slowPduTimeouts());
  }

  @Test
  void idleTimeout_countsFromTheLastWholePdu_notTheLastByte() throws Exception {
    start(b -> b.pduTimeout(Duration.ofSeconds(60)));
    RawKmsClient bytesOnly = connect();
    bytesOnly.bind();
    RawKmsClient wholePdus = connect();
    wholePdus.bind();

    time.advance(Duration.ofSeconds(25));
    sync();
    bytesOnly.writeRaw(new byte[] {5});
    assertTrue(
        wholePdus
            .activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()))
            .isVerified());
    sync();

    time.advance(Duration.ofSeconds(6)); // 31 s after the binds, 6 s after the byte and request
    assertTrue(bytesOnly.isClosedByPeer(), "one byte 6 s ago is not activity");
    assertTrue(
        wholePdus
            .activate(TestRequests.windows10(6, TestRequests.cmid(2), Instant.now()))
            .isVerified(),
        "a whole request 6 s ago is");
    sync();
    assertEquals(1, server.stats().idleClosed());
    assertEquals(0, server.stats().slowPduTimeouts());
  }

  @Test
  void connectionCap_evictsTheOldestUnboundFirst_thenTheLongestIdle() throws Exception {
    start(KmsHost.builder().build().rpcHandler(), b -> b.maxConnections(4), false);
    RawKmsClient bound1 = connect();
    bound1.bind(); // t = 0
    time.advance(Duration.ofSeconds(1));
    RawKmsClient bound2 = connect();
    bound2.bind(); // t = 1: the longest idle once bound1 speaks again
    time.advance(Duration.ofSeconds(1));
    RawKmsClient unbound1 = connect();
    unbound1.writeRaw(Arrays.copyOf(bindBytes(), 10)); // t = 2, half a bind
    time.advance(Duration.ofSeconds(1));
    RawKmsClient unbound2 = connect(); // t = 3, silent
    time.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 2; i++) { // t = 4; two round trips: see sync()
      bound1.send(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
      assertInstanceOf(BindAckPdu.class, bound1.receive());
    }
    assertEquals(4, server.stats().openConnections(), "at the cap");

    RawKmsClient new1 = connect();
    new1.bind();
    assertTrue(unbound1.isClosedByPeer(), "the oldest unbound goes first, bytes or not");
    RawKmsClient new2 = connect();
    new2.bind();
    assertTrue(unbound2.isClosedByPeer(), "then the next unbound");
    RawKmsClient new3 = connect();
    new3.bind();
    assertTrue(bound2.isClosedByPeer(), "then the longest idle, bound at 1 s");
    assertTrue(
        bound1
            .activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()))
            .isVerified(),
        "the connection that spoke at 4 s stays");
    assertEquals(3, server.stats().evicted());
    assertEquals(4, server.stats().openConnections());
  }

  @Test
  void connectionCap_neverEvictsAConnectionWithACallInFlight() throws Exception {
    KmsHost host = KmsHost.builder().build();
    CompletableFuture<Void> held = new CompletableFuture<>();
    CompletableFuture<byte[]> release = new CompletableFuture<>();
    CallHandler gated =
        (call, peer) -> {
          if (!held.isDone()) {
            held.complete(null);
            return release.thenCompose(v -> host.rpcHandler().answer(call, peer));
          }
          return host.rpcHandler().answer(call, peer);
        };
    start(gated, b -> b.maxConnections(2), false);
    RawKmsClient waiting = connect();
    waiting.bind(); // t = 0
    EncodedRequest request =
        KmsClientCodec.encodeRequest(
            TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()));
    waiting.writeRaw(waiting.requestBytes(request.bytes()));
    held.get(5, TimeUnit.SECONDS); // the call is in flight: its answer waits for "storage"
    time.advance(Duration.ofSeconds(5));
    RawKmsClient other = connect();
    other.bind(); // t = 5
    time.advance(Duration.ofSeconds(1));

    RawKmsClient newcomer = connect();
    newcomer.bind();
    assertTrue(other.isClosedByPeer(), "the idle one goes, though the waiting one is older");
    release.complete(new byte[0]);
    assertInstanceOf(ResponsePdu.class, waiting.receive(), "the call in flight is answered");
    assertEquals(1, server.stats().evicted());
  }

  @Test
  void perAddressLimit_fourthFromOneSource_closedAtOnce_otherSourcesServed() throws Exception {
    start(b -> b.maxConnectionsPerAddress(3).exemptLoopback(false));
    List<RawKmsClient> fromTwo = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RawKmsClient c = connectFrom("127.0.0.2");
      c.bind();
      fromTwo.add(c);
    }
    RawKmsClient fourth = connectFrom("127.0.0.2");
    assertTrue(fourth.isClosedByPeer(), "over the limit: closed without a word");
    RawKmsClient other = connectFrom("127.0.0.3");
    other.bind();
    assertTrue(
        other
            .activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()))
            .isVerified());
    assertEquals(1, server.stats().refusedByAddressLimit());

    fromTwo.get(0).close();
    sync(); // the loop has seen that close and released its count
    RawKmsClient again = connectFrom("127.0.0.2");
    again.bind();
    assertEquals(1, server.stats().refusedByAddressLimit(), "a closed connection frees its slot");
    assertEquals(5, server.stats().openConnections(), "probe, two + one from .2, one from .3");
  }

  @Test
  void perAddressLimit_loopbackExemptByDefault() throws Exception {
    start(b -> b.maxConnectionsPerAddress(2));
    for (int i = 0; i < 4; i++) {
      connect().bind();
    }
    assertEquals(0, server.stats().refusedByAddressLimit());
    assertEquals(5, server.stats().openConnections());
  }
}
