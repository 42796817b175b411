package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.store.StoreException;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.rpc.BindAckPdu;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.PduCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real NIO server on loopback port 0. Every wait is bounded by a socket timeout. */
final class KmsServerLoopbackTest {
  private KmsServer server;
  private InetSocketAddress address;

  private void start(Consumer<KmsServer.Builder> settings) {
    start(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), settings);
  }

  private void start(List<InetSocketAddress> listen, Consumer<KmsServer.Builder> settings) {
    KmsServer.Builder builder =
        KmsServer.builder(KmsHost.builder().build().rpcHandler()).listen(listen).daemon(true);
    settings.accept(builder);
    server = builder.build().start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(2));
    }
  }

  @Test
  void activate_threeVersionsOnOneConnection_countsDistinctCmids() throws Exception {
    start(b -> {});
    try (RawKmsClient client = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      client.bind();
      for (int i = 0; i < 3; i++) {
        VerifiedResponse r =
            client.activate(TestRequests.windows10(4 + i, TestRequests.cmid(i), Instant.now()));
        assertTrue(r.isVerified(), () -> "failed " + r.failedChecks());
        assertEquals(i + 1, r.response().base().currentClientCount());
      }
    }
    assertEquals(1, server.stats().accepted());
    assertEquals(3, server.stats().calls());
  }

  @Test
  void activate_bytesWrittenOneAtATime_answered() throws Exception {
    start(b -> {});
    try (RawKmsClient client = new RawKmsClient(address, ClientRpcOptions.WINDOWS).chunked(1)) {
      client.bind();
      VerifiedResponse r =
          client.activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()));
      assertTrue(r.isVerified());
      assertEquals(1, r.response().base().currentClientCount());
    }
  }

  @Test
  void activate_everyRpcOfferCombination_answered() throws Exception {
    start(b -> {});
    int n = 0;
    for (boolean ndr64 : new boolean[] {false, true}) {
      for (boolean btfn : new boolean[] {false, true}) {
        try (RawKmsClient client =
            new RawKmsClient(address, new ClientRpcOptions(ndr64, btfn, btfn))) {
          client.bind();
          for (int i = 0; i < 2; i++) {
            n++;
            VerifiedResponse r =
                client.activate(TestRequests.windows10(6, TestRequests.cmid(n), Instant.now()));
            assertEquals(n, r.response().base().currentClientCount());
          }
        }
      }
    }
  }

  @Test
  void overLimitPdu_closesOnlyItsOwnConnection() throws Exception {
    start(b -> {});
    try (RawKmsClient good = new RawKmsClient(address, ClientRpcOptions.WINDOWS);
        RawKmsClient bad = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      good.bind();
      byte[] header = PduCodec.encode(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
      header[8] = (byte) 0x88;
      header[9] = (byte) 0x13; // frag_length 5000 > the 4096 default
      bad.writeRaw(java.util.Arrays.copyOf(header, 16));
      io.github.kmsj.protocol.rpc.BindNakPdu nak =
          assertInstanceOf(io.github.kmsj.protocol.rpc.BindNakPdu.class, bad.receive());
      assertEquals(io.github.kmsj.protocol.rpc.BindNakPdu.LOCAL_LIMIT_EXCEEDED, nak.rejectReason());
      assertEquals(2, nak.callId(), "the bind_nak copies the refused bind's call_id");
      assertTrue(
          bad.isClosedByPeer(), "the host closes a connection that declares an over-limit PDU");
      VerifiedResponse r =
          good.activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()));
      assertTrue(r.isVerified(), "the other connection still works");
    }
    assertEquals(1, server.stats().protocolErrors());
  }

  @Test
  void garbage_closesConnectionAndServerKeepsServing() throws Exception {
    start(b -> {});
    try (RawKmsClient bad = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      bad.writeRaw("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertTrue(bad.isClosedByPeer());
    }
    try (RawKmsClient good = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      good.bind();
      assertTrue(
          good.activate(TestRequests.windows10(5, TestRequests.cmid(1), Instant.now()))
              .isVerified());
    }
  }

  @Test
  void idleTimeout_closesSilentConnection() throws Exception {
    start(b -> b.idleTimeout(Duration.ofMillis(200)));
    try (RawKmsClient client = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      client.bind();
      client.socket.setSoTimeout(3000);
      assertTrue(client.isClosedByPeer(), "closed after 200 ms of silence, well within 3 s");
    }
    assertEquals(1, server.stats().idleClosed());
  }

  @Test
  void connectionCap_newConnectionIsServedAndEvictsTheIdleOne() throws Exception {
    start(b -> b.maxConnections(1));
    try (RawKmsClient first = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      first.bind();
      RawKmsClient second = new RawKmsClient(address, ClientRpcOptions.WINDOWS);
      second.socket.setSoTimeout(3000);
      second.send(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
      assertInstanceOf(BindAckPdu.class, second.receive(), "served at once at the cap");
      assertTrue(first.isClosedByPeer(), "the idle connection made room");
      second.close();
    }
    assertEquals(1, server.stats().evicted());
  }

  @Test
  void allowList_disallowedSource_closedWithoutAnswer() throws Exception {
    start(b -> b.allow(AddressFilter.of(List.of("10.0.0.0/8"))));
    try (RawKmsClient client = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      client.send(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
      assertTrue(client.isClosedByPeer());
    }
    assertEquals(1, server.stats().refused());
    assertEquals(0, server.stats().accepted());
  }

  @Test
  void stop_finishesRequestInFlight() throws Exception {
    start(b -> b.eventLoops(1));
    try (RawKmsClient client = new RawKmsClient(address, ClientRpcOptions.WINDOWS);
        RawKmsClient other = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      client.bind();
      other.bind();
      byte[] pdu = PduCodec.encode(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
      client.writeRaw(java.util.Arrays.copyOf(pdu, 20)); // a partial PDU: a request in flight
      // Two round trips on the one loop: it has read the partial PDU before stop begins (else the
      // connection would rightly count as idle and close at once).
      for (int i = 0; i < 2; i++) {
        other.send(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
        assertInstanceOf(BindAckPdu.class, other.receive());
      }
      Thread stopper = new Thread(() -> server.stop(Duration.ofSeconds(3)));
      stopper.start();
      client.writeRaw(java.util.Arrays.copyOfRange(pdu, 20, pdu.length));
      assertInstanceOf(BindAckPdu.class, client.receive(), "the request in flight is answered");
      assertTrue(client.isClosedByPeer(), "then the connection is closed");
      stopper.join(5000);
    }
  }

  @Test
  void handlerThrows_closesOnlyThatConnectionAndLoopKeepsServing() throws Exception {
    KmsHost host = KmsHost.builder().build();
    java.util.concurrent.atomic.AtomicBoolean fail =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    server =
        KmsServer.builder(
                (call, peer) -> {
                  if (fail.getAndSet(false)) {
                    throw new StoreException("disk full");
                  }
                  return host.rpcHandler().answer(call, peer);
                })
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .eventLoops(1)
            .daemon(true)
            .build()
            .start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    try (RawKmsClient bad = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      bad.bind();
      bad.socket.setSoTimeout(3000);
      java.io.IOException e =
          assertThrows(java.io.IOException.class, () -> bad.call(new byte[260]));
      assertFalse(
          e instanceof SocketTimeoutException,
          "the failing connection is closed, not left hanging");
    }
    try (RawKmsClient good = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      good.bind();
      assertTrue(
          good.activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()))
              .isVerified(),
          "the event loop survived the handler's exception");
    }
    assertTrue(server.stop(Duration.ofSeconds(2)), "every connection was closed and counted");
    assertEquals(0, server.stats().openConnections());
  }

  @Test
  void listen_severalAddresses_eachServesAndSharesTheCount() throws Exception {
    start(
        List.of(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.2", 0)),
        b -> {});
    java.util.List<InetSocketAddress> bound = server.localAddresses();
    assertEquals(2, bound.size());
    int n = 0;
    for (InetSocketAddress a : bound) {
      try (RawKmsClient client = new RawKmsClient(a, ClientRpcOptions.WINDOWS)) {
        client.bind();
        n++;
        VerifiedResponse r =
            client.activate(TestRequests.windows10(6, TestRequests.cmid(n), Instant.now()));
        assertEquals(n, r.response().base().currentClientCount(), "one host behind both listeners");
      }
    }
  }

  @Test
  void listen_ipv6Wildcard_servesIpv4AndIpv6Loopback() throws Exception {
    boolean ipv6 =
        java.net.NetworkInterface.networkInterfaces()
            .flatMap(java.net.NetworkInterface::inetAddresses)
            .anyMatch(x -> x instanceof java.net.Inet6Address && x.isLoopbackAddress());
    org.junit.jupiter.api.Assumptions.assumeTrue(ipv6, "this kernel has no IPv6 loopback");
    start(List.of(new InetSocketAddress("::", 0)), b -> {});
    int port = server.port();
    int n = 0;
    for (String host : new String[] {"127.0.0.1", "::1"}) {
      try (RawKmsClient client =
          new RawKmsClient(new InetSocketAddress(host, port), ClientRpcOptions.WINDOWS)) {
        client.bind();
        n++;
        assertTrue(
            client
                .activate(TestRequests.windows10(5, TestRequests.cmid(n), Instant.now()))
                .isVerified(),
            host);
      }
    }
  }
}
