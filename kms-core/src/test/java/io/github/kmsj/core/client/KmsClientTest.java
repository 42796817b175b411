package io.github.kmsj.core.client;

import static io.github.kmsj.core.client.ClientFixtures.SERVER_2019;
import static io.github.kmsj.core.client.ClientFixtures.T0;
import static io.github.kmsj.core.client.ClientFixtures.WINDOWS_10;
import static io.github.kmsj.core.client.ClientFixtures.WINDOWS_10_RETAIL;
import static io.github.kmsj.core.client.ClientFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.IntegrityCheck;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.rpc.FaultPdu;
import io.github.kmsj.protocol.rpc.NcaStatus;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduHeader;
import io.github.kmsj.protocol.rpc.PfcFlags;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a real kmsj host on loopback, and against fakes for each failure stage. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
final class KmsClientTest {
  private static final String LOOPBACK = InetAddress.getLoopbackAddress().getHostAddress();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SHORT = Duration.ofMillis(300);

  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private KmsServer server;

  @BeforeEach
  void start() {
    KmsHost host = KmsHost.builder().clock(clock).build();
    server =
        KmsServer.builder(host.rpcHandler())
            .listen(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .daemon(true)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.stop(TIMEOUT);
  }

  private KmsClient.Builder client() {
    return KmsClient.builder().clock(clock).random(new SplittableRandom(7)).timeouts(TIMEOUT);
  }

  private Target live() {
    return Target.of(LOOPBACK, server.port());
  }

  @Test
  void activate_serverProductAfterFiveDistinctCmids_activated() {
    KmsClient client = client().build();
    for (int i = 0; i < 4; i++) {
      ActivationResult r = client.activate(live(), request(SERVER_2019, i));
      ActivationResult.BelowThreshold below =
          assertInstanceOf(ActivationResult.BelowThreshold.class, r);
      assertEquals(i + 1, below.currentClientCount());
    }
    ActivationResult r = client.activate(live(), request(SERVER_2019, 4));

    ActivationResult.Activated a =
        assertInstanceOf(ActivationResult.Activated.class, r, r::toString);
    assertEquals(5, a.currentClientCount());
    assertEquals(5, a.requiredClientCount());
    assertEquals(HResult.S_OK, a.hresult());
    assertTrue(a.epid().isPresent(), a.ePid());
    assertEquals(a.ePid(), a.epid().get().format());
    assertEquals(8, a.hwid().orElseThrow().length());
    assertEquals(Duration.ofMinutes(120), a.activationInterval());
    assertEquals(Duration.ofDays(7), a.renewalInterval());
    assertEquals(LOOPBACK + ":" + server.port(), a.host());
    assertTrue(a.response().isVerified());
    assertTrue(a.timings().connect().compareTo(Duration.ZERO) > 0);
    assertTrue(a.timings().bind().compareTo(Duration.ZERO) > 0);
    assertTrue(a.timings().request().compareTo(Duration.ZERO) > 0);
    assertTrue(a.timings().total().compareTo(a.timings().request()) >= 0);
  }

  @Test
  void activate_eachProtocolVersion_verifiesTheResponse() {
    KmsClient client = client().build();
    for (int v = 4; v <= 6; v++) {
      ActivationResult r = client.activate(live(), request(SERVER_2019, v, 100 + v));
      assertInstanceOf(ActivationResult.BelowThreshold.class, r, r::toString);
      assertEquals(
          v, ((ActivationResult.BelowThreshold) r).response().response().version().major());
      assertEquals(
          v == 6,
          r instanceof ActivationResult.BelowThreshold b
              && b.response().response() instanceof io.github.kmsj.protocol.message.ResponseV6);
    }
  }

  @Test
  void activate_firstWindowsClient_belowThresholdWithNotEnoughCount() {
    ActivationResult r = client().build().activate(live(), request(WINDOWS_10, 1));

    ActivationResult.BelowThreshold b =
        assertInstanceOf(ActivationResult.BelowThreshold.class, r, r::toString);
    assertEquals(1, b.currentClientCount());
    assertEquals(25, b.requiredClientCount());
    assertEquals(HResult.NOT_ENOUGH_COUNT, b.hresult());
    assertFalse(b.isActivated());
  }

  @Test
  void activate_retailProduct_refusedWithKmsIdMismatch() {
    ActivationResult r = client().build().activate(live(), request(WINDOWS_10_RETAIL, 1));

    ActivationResult.Refused refused =
        assertInstanceOf(ActivationResult.Refused.class, r, r::toString);
    assertEquals(HResult.KMS_ID_MISMATCH, refused.hresult());
    assertEquals(0xC004F042, refused.hresult().value());
    assertTrue(refused.meaning().contains("cannot be used"), refused.meaning());
  }

  @Test
  void activate_clientClockFiveHoursAhead_refusedWithInvalidTimestamp() {
    KmsClient skewed = client().clock(Clock.offset(clock, Duration.ofHours(5))).build();

    ActivationResult r = skewed.activate(live(), request(WINDOWS_10, 1));

    ActivationResult.Refused refused =
        assertInstanceOf(ActivationResult.Refused.class, r, r::toString);
    assertEquals(0xC004F06C, refused.hresult().value());
  }

  @Test
  void activate_unsupportedVersion7_refusedWithInvalidData() {
    ActivationResult r = client().build().activate(live(), request(WINDOWS_10, 7, 1));

    ActivationResult.Refused refused =
        assertInstanceOf(ActivationResult.Refused.class, r, r::toString);
    assertEquals(HResult.INVALID_DATA, refused.hresult());
    assertEquals(0x8007000D, refused.hresult().value());
  }

  @Test
  void activate_policyAbove1000_refusedWithInvalidData() {
    ActivationRequest tooHigh =
        ActivationRequest.forProduct(ClientFixtures.CATALOG, WINDOWS_10)
            .cmid(ClientFixtures.cmid(1))
            .requiredClientCount(1001)
            .build();

    ActivationResult r = client().build().activate(live(), tooHigh);

    assertEquals(
        HResult.INVALID_DATA,
        assertInstanceOf(ActivationResult.Refused.class, r, r::toString).hresult());
  }

  @Test
  void activate_closedPort_connectFailureWithoutTimeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }

    ActivationResult r =
        client().build().activate(Target.of(LOOPBACK, port), request(WINDOWS_10, 1));

    ActivationResult.TransportFailure f =
        assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
    assertEquals(Stage.CONNECT, f.stage());
    assertInstanceOf(ConnectException.class, f.cause().orElseThrow());
    assertFalse(f.isTimeout());
    assertEquals(HResult.BINDING_SERVICE_UNAVAILABLE, f.hresult());
  }

  @Test
  void activate_unknownHostName_dnsFailure() {
    ActivationResult r =
        client().build().activate(Target.of("no-such-host.invalid", 1688), request(WINDOWS_10, 1));

    ActivationResult.TransportFailure f =
        assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
    assertEquals(Stage.DNS, f.stage());
  }

  @Test
  void activate_listenerBacklogFull_connectTimeout() throws Exception {
    try (FullBacklogListener full = new FullBacklogListener()) {
      assumeTrue(full.isFull(), "this platform does not drop SYNs on a full loopback backlog");
      KmsClient client = client().connectTimeout(SHORT).build();

      ActivationResult r =
          client.activate(Target.of(LOOPBACK, full.port()), request(WINDOWS_10, 1));

      ActivationResult.TransportFailure f =
          assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
      assertEquals(Stage.CONNECT, f.stage());
      assertTrue(f.isTimeout(), f::toString);
      assertTrue(
          f.timings().connect().compareTo(SHORT.minusMillis(50)) >= 0, f.timings()::toString);
      assertTrue(f.timings().connect().compareTo(TIMEOUT) < 0, f.timings()::toString);
    }
  }

  @Test
  void activate_discoveryFirstCandidateTimesOut_activatesOnTheSecond() throws Exception {
    try (FullBacklogListener full = new FullBacklogListener()) {
      assumeTrue(full.isFull(), "this platform does not drop SYNs on a full loopback backlog");
      KmsHostLocator locator =
          domain ->
              new LocatedHosts(
                  "q",
                  List.of(
                      new HostCandidate(LOOPBACK, full.port(), 0, 0),
                      new HostCandidate(LOOPBACK, server.port(), 0, 0)),
                  List.of());
      KmsClient client = client().connectTimeout(SHORT).locator(locator).build();
      for (int i = 0; i < 4; i++) {
        client.activate(live(), request(SERVER_2019, i));
      }

      ActivationResult r =
          client.activate(Target.discover("corp.example"), request(SERVER_2019, 4));

      assertInstanceOf(ActivationResult.Activated.class, r, r::toString);
      assertTrue(
          r.timings().connect().compareTo(SHORT.minusMillis(50)) >= 0, r.timings()::toString);
    }
  }

  @Test
  void activate_hostNeverAnswersTheBind_bindTimeout() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      KmsClient client = client().bindTimeout(SHORT).build();

      ActivationResult r =
          client.activate(Target.of(LOOPBACK, silent.port()), request(WINDOWS_10, 1));

      ActivationResult.TransportFailure f =
          assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
      assertEquals(Stage.BIND, f.stage());
      assertTrue(f.isTimeout(), f::toString);
      assertTrue(f.timings().bind().compareTo(SHORT.minusMillis(50)) >= 0, f.timings()::toString);
      assertTrue(f.timings().bind().compareTo(TIMEOUT) < 0, f.timings()::toString);
    }
  }

  @Test
  void activate_hostStallsAfterTheBind_requestTimeout() throws Exception {
    try (TamperingProxy proxy =
        new TamperingProxy(
            server.port(),
            (i, pdu) ->
                pdu[2] == 2
                    ? TamperingProxy.Action.swallow()
                    : TamperingProxy.Action.forward(pdu))) {
      KmsClient client = client().requestTimeout(SHORT).build();

      ActivationResult r =
          client.activate(Target.of(LOOPBACK, proxy.port()), request(WINDOWS_10, 1));

      ActivationResult.TransportFailure f =
          assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
      assertEquals(Stage.REQUEST, f.stage());
      assertTrue(f.isTimeout(), f::toString);
      assertTrue(
          f.timings().request().compareTo(SHORT.minusMillis(50)) >= 0, f.timings()::toString);
    }
  }

  @Test
  void activate_v4HashFlipped_responseValidationNamesV4Hash() throws Exception {
    ActivationResult r =
        throughTamperer(request(WINDOWS_10, 4, 1), pdu -> pdu[messageEnd(pdu) - 1] ^= 0x01);

    ActivationResult.TransportFailure f =
        assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
    assertEquals(Stage.RESPONSE_VALIDATION, f.stage());
    assertEquals(List.of(IntegrityCheck.V4_HASH), f.failedChecks());
  }

  @Test
  void activate_v6ResponseSaltFlipped_responseValidationNamesV6Hmac() throws Exception {
    ActivationResult r =
        throughTamperer(request(WINDOWS_10, 6, 1), pdu -> pdu[MESSAGE_START + 19] ^= 0x01);

    ActivationResult.TransportFailure f =
        assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
    assertEquals(Stage.RESPONSE_VALIDATION, f.stage());
    assertEquals(List.of(IntegrityCheck.V6_HMAC), f.failedChecks());
    assertTrue(f.message().contains("HMAC"), f.message());
  }

  @Test
  void activate_v6LastCiphertextByteFlipped_responseValidationFails() throws Exception {
    ActivationResult r =
        throughTamperer(request(WINDOWS_10, 6, 1), pdu -> pdu[messageEnd(pdu) - 1] ^= 0x40);

    ActivationResult.TransportFailure f =
        assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
    assertEquals(Stage.RESPONSE_VALIDATION, f.stage());
    assertFalse(f.failedChecks().isEmpty(), f::toString);
  }

  @Test
  void activate_v5LastCiphertextByteFlipped_responseValidationFails() throws Exception {
    ActivationResult r =
        throughTamperer(request(WINDOWS_10, 5, 1), pdu -> pdu[messageEnd(pdu) - 1] ^= 0x40);

    ActivationResult.TransportFailure f =
        assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
    assertEquals(Stage.RESPONSE_VALIDATION, f.stage());
    assertFalse(f.failedChecks().isEmpty(), f::toString);
  }

  /**
   * V5 authenticates only R (SHA-256 of randomXor ⊕ D(requestSalt)), not the base response: a
   * flipped ciphertext byte in the second block garbles the ePID and passes every check of
   * docs/PROTOCOL.md §6.8, in vlmcs too. V6 closes this with its HMAC. This test pins the
   * limitation so that nobody mistakes it for a client bug.
   */
  @Test
  void activate_v5EpidCiphertextFlipped_undetectedBecauseV5HasNoMac() throws Exception {
    ActivationResult r =
        throughTamperer(request(WINDOWS_10, 5, 1), pdu -> pdu[MESSAGE_START + 40] ^= 0x01);

    ActivationResult.BelowThreshold b =
        assertInstanceOf(ActivationResult.BelowThreshold.class, r, r::toString);
    assertTrue(b.response().isVerified());
  }

  @Test
  void activate_hostAnswersWithFault_responseValidationWithFaultStatus() throws Exception {
    try (TamperingProxy proxy =
        new TamperingProxy(
            server.port(),
            (i, pdu) -> {
              if (pdu[2] != 2) {
                return TamperingProxy.Action.forward(pdu);
              }
              int callId = (pdu[12] & 0xff) | (pdu[13] & 0xff) << 8;
              FaultPdu fault =
                  new FaultPdu(
                      PduHeader.of(PfcFlags.FIRST_LAST | 0x20, callId), 0, 0, 0, NcaStatus.UNK_IF);
              return TamperingProxy.Action.forward(PduCodec.encode(fault));
            })) {
      ActivationResult r =
          client().build().activate(Target.of(LOOPBACK, proxy.port()), request(WINDOWS_10, 1));

      ActivationResult.TransportFailure f =
          assertInstanceOf(ActivationResult.TransportFailure.class, r, r::toString);
      assertEquals(Stage.RESPONSE_VALIDATION, f.stage(), f::toString);
      assertEquals(NcaStatus.UNK_IF, f.faultStatus().orElseThrow());
    }
  }

  /**
   * Where the KMS message starts in a response PDU with an NDR32 stub: header 24,
   * size/referent/count 12.
   */
  private static final int MESSAGE_START = 36;

  private static int messageEnd(byte[] pdu) {
    int length =
        (pdu[24] & 0xff) | (pdu[25] & 0xff) << 8 | (pdu[26] & 0xff) << 16 | (pdu[27] & 0xff) << 24;
    return MESSAGE_START + length;
  }

  private interface Tamper {
    void apply(byte[] pdu);
  }

  private ActivationResult throughTamperer(ActivationRequest request, Tamper tamper)
      throws Exception {
    try (TamperingProxy proxy =
        new TamperingProxy(
            server.port(),
            (i, pdu) -> {
              if (pdu[2] == 2) {
                tamper.apply(pdu);
              }
              return TamperingProxy.Action.forward(pdu);
            })) {
      return client().build().activate(Target.of(LOOPBACK, proxy.port()), request);
    }
  }

  @Test
  void activate_discoveryDeadThenLiveCandidate_activatesOnTheSecond() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    KmsHostLocator locator =
        domain ->
            new LocatedHosts(
                "_vlmcs._tcp." + domain + ".",
                List.of(
                    new HostCandidate(LOOPBACK, dead, 0, 0),
                    new HostCandidate(LOOPBACK, server.port(), 10, 0)),
                List.of("SRV _vlmcs._tcp." + domain + ". -> 2 records"));
    KmsClient client = client().locator(locator).build();
    for (int i = 0; i < 4; i++) {
      client.activate(live(), request(SERVER_2019, i));
    }

    ActivationResult r = client.activate(Target.discover("corp.example"), request(SERVER_2019, 4));

    ActivationResult.Activated a =
        assertInstanceOf(ActivationResult.Activated.class, r, r::toString);
    assertEquals(LOOPBACK + ":" + server.port(), a.host());
    assertEquals(5, a.currentClientCount());
    assertTrue(a.timings().dns().compareTo(Duration.ZERO) > 0);
  }

  @Test
  void activate_discoveryFindsNothing_noHostFoundWithAttempts() {
    KmsHostLocator locator =
        domain ->
            new LocatedHosts(
                "_vlmcs._tcp.corp.example.",
                List.of(),
                List.of("SRV _vlmcs._tcp.corp.example. NXDOMAIN"));
    KmsClient client = client().locator(locator).build();

    ActivationResult r = client.activate(Target.discover("corp.example"), request(WINDOWS_10, 1));

    ActivationResult.NoHostFound n =
        assertInstanceOf(ActivationResult.NoHostFound.class, r, r::toString);
    assertEquals("_vlmcs._tcp.corp.example.", n.query());
    assertEquals(List.of("SRV _vlmcs._tcp.corp.example. NXDOMAIN"), n.attempts());
    assertTrue(n.candidateFailures().isEmpty());
    assertEquals(0xC004F074, n.hresult().value());
  }

  @Test
  void activate_discoveryEveryCandidateDead_noHostFoundWithEachFailure() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    int deadPort = dead;
    KmsHostLocator locator =
        domain ->
            new LocatedHosts(
                "q",
                List.of(
                    new HostCandidate(LOOPBACK, deadPort, 0, 0),
                    new HostCandidate("no-such-host.invalid", 1688, 1, 0)),
                List.of("two"));

    ActivationResult r =
        client()
            .locator(locator)
            .build()
            .activate(Target.discoverDefault(), request(WINDOWS_10, 1));

    ActivationResult.NoHostFound n =
        assertInstanceOf(ActivationResult.NoHostFound.class, r, r::toString);
    assertEquals(
        List.of(Stage.CONNECT, Stage.DNS),
        n.candidateFailures().stream().map(ActivationResult.TransportFailure::stage).toList());
  }

  @Test
  void activate_locatorFails_noHostFoundWithTheError() {
    LocatorException error = new LocatorException("SERVFAIL", List.of("SRV q SERVFAIL"), null);
    KmsClient client =
        client()
            .locator(
                domain -> {
                  throw error;
                })
            .build();

    ActivationResult r = client.activate(Target.discover("corp.example"), request(WINDOWS_10, 1));

    ActivationResult.NoHostFound n =
        assertInstanceOf(ActivationResult.NoHostFound.class, r, r::toString);
    assertEquals(error, n.error().orElseThrow());
    assertEquals(List.of("SRV q SERVFAIL"), n.attempts());
  }

  @Test
  void open_discoveryWithoutLocator_throws() {
    assertThrows(
        IllegalStateException.class, () -> client().build().open(Target.discover("corp.example")));
  }

  @Test
  void session_threeRequests_oneTcpConnection() {
    KmsClient client = client().build();
    try (KmsSession session = client.open(live())) {
      for (int i = 0; i < 3; i++) {
        ActivationResult r = session.activate(request(WINDOWS_10, i));
        assertEquals(
            i + 1,
            assertInstanceOf(ActivationResult.BelowThreshold.class, r, r::toString)
                .currentClientCount());
        if (i > 0) {
          assertEquals(Duration.ZERO, r.timings().connect());
          assertEquals(Duration.ZERO, r.timings().bind());
        }
      }
      assertTrue(session.isConnected());
    }
    assertEquals(1, server.stats().accepted());
  }

  @Test
  void session_windowsClientsReach25_activated() {
    try (KmsSession session = client().build().open(live())) {
      ActivationResult last = null;
      for (int i = 0; i < 25; i++) {
        last = session.activate(request(WINDOWS_10, i));
        assertEquals(i < 24, last instanceof ActivationResult.BelowThreshold, last::toString);
      }
      assertEquals(
          25, assertInstanceOf(ActivationResult.Activated.class, last).currentClientCount());
    }
    assertEquals(1, server.stats().accepted());
  }

  @Test
  void session_connectionPerRequest_oneConnectionEach() {
    KmsClient client = client().connectionMode(ConnectionMode.CONNECTION_PER_REQUEST).build();
    try (KmsSession session = client.open(live())) {
      for (int i = 0; i < 3; i++) {
        assertInstanceOf(
            ActivationResult.BelowThreshold.class, session.activate(request(WINDOWS_10, i)));
        assertFalse(session.isConnected());
      }
    }
    assertEquals(3, server.stats().accepted());
  }

  @Test
  void session_hostClosesAfterEachAnswer_reconnectsTransparently() throws Exception {
    try (TamperingProxy pykmsLike =
        new TamperingProxy(
            server.port(),
            (i, pdu) ->
                pdu[2] == 2
                    ? TamperingProxy.Action.forwardThenClose(pdu)
                    : TamperingProxy.Action.forward(pdu))) {
      try (KmsSession session = client().build().open(Target.of(LOOPBACK, pykmsLike.port()))) {
        for (int i = 0; i < 3; i++) {
          ActivationResult r = session.activate(request(WINDOWS_10, i));
          assertEquals(
              i + 1,
              assertInstanceOf(ActivationResult.BelowThreshold.class, r, r::toString)
                  .currentClientCount());
        }
      }
      assertEquals(3, pykmsLike.accepted());
    }
  }

  @Test
  void session_discoveredHostGoesAway_nextRequestFailsOverToTheNextCandidate() throws Exception {
    TamperingProxy first =
        new TamperingProxy(server.port(), (i, pdu) -> TamperingProxy.Action.forward(pdu));
    int firstPort = first.port();
    KmsHostLocator locator =
        domain ->
            new LocatedHosts(
                "q",
                List.of(
                    new HostCandidate(LOOPBACK, firstPort, 0, 0),
                    new HostCandidate(LOOPBACK, server.port(), 1, 0)),
                List.of());
    KmsClient client = client().locator(locator).build();
    try (KmsSession session = client.open(Target.discover("corp.example"))) {
      ActivationResult r1 = session.activate(request(WINDOWS_10, 1));
      assertEquals(
          LOOPBACK + ":" + firstPort,
          assertInstanceOf(ActivationResult.BelowThreshold.class, r1).host(),
          r1::toString);
      first.close();

      ActivationResult r2 = session.activate(request(WINDOWS_10, 2));

      ActivationResult.BelowThreshold b =
          assertInstanceOf(ActivationResult.BelowThreshold.class, r2, r2::toString);
      assertEquals(LOOPBACK + ":" + server.port(), b.host());
      assertEquals(2, b.currentClientCount());
    }
  }

  @Test
  void session_afterClose_throws() {
    KmsSession session = client().build().open(live());
    session.close();
    assertThrows(IllegalStateException.class, () -> session.activate(request(WINDOWS_10, 1)));
  }

  @Test
  void activateAsync_onTheExecutor_completesWithTheResult() throws Exception {
    java.util.concurrent.ExecutorService executor =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      KmsClient client = client().executor(executor).build();

      ActivationResult r =
          client.activateAsync(live(), request(WINDOWS_10, 1)).get(5, TimeUnit.SECONDS);

      assertEquals(
          1, assertInstanceOf(ActivationResult.BelowThreshold.class, r).currentClientCount());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void activate_withoutNdr64_usesNdr32Only() {
    KmsClient client =
        client()
            .rpcOptions(new io.github.kmsj.protocol.rpc.ClientRpcOptions(false, false, false))
            .build();
    try (KmsSession session = client.open(live())) {
      for (int i = 0; i < 2; i++) {
        assertInstanceOf(
            ActivationResult.BelowThreshold.class, session.activate(request(WINDOWS_10, i)));
      }
    }
  }

  @Test
  void request_version_isTheOneSent() {
    assertEquals(ProtocolVersion.V6, request(WINDOWS_10, 1).version());
  }
}
