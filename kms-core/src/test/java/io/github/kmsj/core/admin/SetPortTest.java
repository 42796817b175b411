package io.github.kmsj.core.admin;

import static io.github.kmsj.core.admin.HostAdminTest.CATALOG;
import static io.github.kmsj.core.admin.HostAdminTest.SERVER_2019;
import static io.github.kmsj.core.admin.HostAdminTest.cmid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.KmsSession;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestCounters;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.PduCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sprt} on a running host: the listener moves while requests are in flight on the old port,
 * and neither port loses one. Real server on loopback, kmsj's own client, bounded timeouts.
 */
final class SetPortTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final RequestCounters counters = new RequestCounters();
  private final KmsHost host = KmsHost.builder().listener(counters).build();
  private final KmsServer server =
      KmsServer.builder(host.rpcHandler())
          .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .daemon(true)
          .build()
          .start();
  private final HostAdmin admin = HostAdmin.builder(host).server(server).build();
  private final KmsClient client =
      KmsClient.builder().random(new SplittableRandom(3)).timeouts(TIMEOUT).build();

  @AfterEach
  void stop() {
    server.stop(TIMEOUT);
  }

  private static ActivationRequest request(int i) {
    return ActivationRequest.forProduct(CATALOG, SERVER_2019).cmid(cmid(i)).build();
  }

  /** Answered with a count (the count passes N = 5 during the test). */
  private static boolean answered(ActivationResult r) {
    return r instanceof ActivationResult.BelowThreshold || r instanceof ActivationResult.Activated;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void setPort_requestsInFlightOnTheOldPort_allAnsweredAndTheNewPortServes() throws Exception {
    int oldPort = server.port();
    int newPort = freePort();
    Target old = Target.of("127.0.0.1", oldPort);
    // One connection bound and used, one connected in the middle of its first PDU.
    KmsSession session = client.open(old);
    assertInstanceOf(ActivationResult.BelowThreshold.class, session.activate(request(1)));
    Socket half = new Socket(InetAddress.getLoopbackAddress(), oldPort);
    half.setSoTimeout((int) TIMEOUT.toMillis());
    byte[] bind = PduCodec.encode(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
    OutputStream out = half.getOutputStream();
    out.write(bind, 0, 10);
    out.flush();
    // A steady stream of activations through the move: each on a new connection to whichever
    // port the host listens on now (as a client that rediscovers the port does).
    CompletableFuture<List<ActivationResult>> stream =
        CompletableFuture.supplyAsync(
            () -> {
              List<ActivationResult> results = new java.util.ArrayList<>();
              for (int i = 0; i < 40; i++) {
                results.add(
                    client.activate(Target.of("127.0.0.1", server.port()), request(100 + i)));
              }
              return results;
            });

    admin.setPort(newPort, "api");

    assertEquals(newPort, server.port());
    assertEquals(List.of("127.0.0.1:" + newPort), admin.view().listening());
    out.write(bind, 10, bind.length - 10); // the half-sent bind completes on the old connection
    out.flush();
    InputStream in = half.getInputStream();
    byte[] header = in.readNBytes(16);
    assertEquals(16, header.length, "the bind on the old port is answered");
    assertEquals(12, header[2], "bind_ack");
    half.close();
    ActivationResult again = session.activate(request(2));
    assertTrue(answered(again), "the bound connection on the old port keeps working: " + again);
    session.close();
    ActivationResult onNew = client.activate(Target.of("127.0.0.1", newPort), request(3));
    assertTrue(answered(onNew), onNew::toString);
    for (ActivationResult r : stream.get(30, TimeUnit.SECONDS)) {
      assertTrue(answered(r), r::toString);
    }
    assertThrows(
        ConnectException.class,
        () -> new Socket(InetAddress.getLoopbackAddress(), oldPort).close());
    assertEquals(43, counters.snapshot().totalRequests());
    assertEquals(0, counters.snapshot().failedRequests());
    assertNotEquals(oldPort, newPort);
    assertEquals("port", admin.audit().get(0).setting());
    assertEquals(Integer.toString(oldPort), admin.audit().get(0).oldValue());
  }
}
