package io.github.kmsj.core.management;

import static io.github.kmsj.core.host.TestCalls.NOW;
import static io.github.kmsj.core.host.TestCalls.PEER;
import static io.github.kmsj.core.host.TestCalls.base;
import static io.github.kmsj.core.host.TestCalls.call;
import static io.github.kmsj.core.host.TestCalls.cmid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestCounters;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.core.host.TestCalls;
import io.github.kmsj.core.management.ReadinessResult.NotReady;
import io.github.kmsj.core.management.ReadinessResult.Ready;
import io.github.kmsj.core.management.ReadinessResult.Stage;
import io.github.kmsj.core.transport.KmsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The readiness check against a real server on loopback port 0, with bounded timeouts. */
final class ReadinessCheckTest {
  private final RequestCounters counters = new RequestCounters();
  private final List<RequestEvent> events = new CopyOnWriteArrayList<>();
  private final KmsHost host = TestCalls.host().listener(counters).listener(events::add).build();
  private KmsServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() {
    server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .daemon(true)
            .build()
            .start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(2));
  }

  @Test
  void check_runningHost_readyWithCurrentCountAndNothingCounted() {
    host.rpcHandler().answer(call(base(cmid(1), 25)), PEER).join();
    host.rpcHandler().answer(call(base(cmid(2), 25)), PEER).join();

    ReadinessResult result =
        ReadinessCheck.forHost(host, address).timeout(Duration.ofSeconds(5)).build().check();

    Ready ready = assertInstanceOf(Ready.class, result, result::toString);
    assertEquals(2, ready.currentCount());
    assertTrue(
        host.identity().ePids().values().stream().anyMatch(e -> e.format().equals(ready.ePid())));
    assertFalse(ready.latency().isNegative());
    assertEquals(2, host.currentCount(TestCalls.WINDOWS, NOW));
    assertEquals(2, counters.snapshot().totalRequests());
    RequestEvent probe = events.get(events.size() - 1);
    assertTrue(probe.probe());
    assertEquals(KmsHost.PROBE_CMID, probe.cmid().orElseThrow());
    assertEquals(ReadinessCheck.PROBE_WORKSTATION, probe.workstationName().orElseThrow());
  }

  @Test
  void check_freshHost_readyWithCountZero() {
    ReadinessResult result = ReadinessCheck.forHost(host, address).build().check();

    assertEquals(0, assertInstanceOf(Ready.class, result, result::toString).currentCount());
    assertEquals(0, counters.snapshot().totalRequests());
  }

  @Test
  void check_repeated_countStaysUnchanged() {
    host.rpcHandler().answer(call(base(cmid(1), 25)), PEER).join();
    ReadinessCheck check = ReadinessCheck.forHost(host, address).build();

    for (int i = 0; i < 3; i++) {
      assertEquals(1, assertInstanceOf(Ready.class, check.check()).currentCount());
    }
    assertEquals(1, host.currentCount(TestCalls.WINDOWS, NOW));
    assertEquals(1, counters.snapshot().totalRequests());
  }

  @Test
  void check_productNotCovered_notReadyAtResponseWithHresult() {
    ReadinessResult result =
        ReadinessCheck.builder(address)
            .product(TestCalls.WINDOWS, TestCalls.WIN10_PRO_SKU, TestCalls.UNKNOWN_KMS_ID)
            .clock(host.clock())
            .build()
            .check();

    NotReady notReady = assertInstanceOf(NotReady.class, result);
    assertEquals(Stage.RESPONSE, notReady.stage());
    assertTrue(notReady.cause().contains("0xC004F042"), notReady.cause());
    assertEquals(0, counters.snapshot().totalRequests());
  }

  @Test
  void check_closedPort_notReadyAtConnect() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }

    ReadinessResult result =
        ReadinessCheck.forHost(host, new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .timeout(Duration.ofSeconds(2))
            .build()
            .check();

    assertEquals(Stage.CONNECT, assertInstanceOf(NotReady.class, result).stage());
  }

  @Test
  void check_silentListener_notReadyAtBindWithinTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ReadinessResult result =
          ReadinessCheck.forHost(
                  host,
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()))
              .timeout(Duration.ofMillis(300))
              .build()
              .check();

      NotReady notReady = assertInstanceOf(NotReady.class, result);
      assertEquals(Stage.BIND, notReady.stage());
      assertTrue(notReady.cause().contains("SocketTimeoutException"), notReady.cause());
    }
  }

  @Test
  void jmxListeningPort_withServer_isTheBoundPort() throws Exception {
    try (KmsManagement m =
        KmsManagement.builder(host, counters)
            .name("readiness-" + server.port())
            .server(server)
            .register()) {
      assertEquals(
          server.port(),
          java.lang.management.ManagementFactory.getPlatformMBeanServer()
              .getAttribute(m.objectName(), "KeyManagementServiceListeningPort"));
    }
  }
}
