package io.github.kmsj.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.transport.PeerInfo;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsRequest;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV4;
import io.github.kmsj.protocol.message.RequestV5;
import io.github.kmsj.protocol.message.RequestV6;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.KmsCall;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Microsoft's counting semantics and the host's refusals, on a manual clock with real encoded
 * requests.
 */
final class KmsHostScenarioTest {
  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final Guid OFFICE_2013 = Guid.parse("0ff1ce15-a989-479d-af46-f275c6370663");
  static final Guid WIN10_KMS = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");
  static final Guid WIN10_PRO = Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588");
  static final Guid SERVER_2019_KMS = Guid.parse("8449b1fb-f0ea-497a-99ab-66ca96e9a0f5");
  static final Guid SERVER_2019_STD = Guid.parse("de32eafd-aaee-4662-9444-c1befb41bde2");
  static final Guid OFFICE_2019_KMS = Guid.parse("617d9eb1-ef36-4f82-86e0-a65ae07b96c6");
  static final Guid OFFICE_2019_SKU = Guid.parse("85dd8b5f-eaa4-4af3-a628-cce9e77c9a03");
  static final Guid WIN10_RETAIL_KMS = Guid.parse("e1c51358-fe3e-4203-a4a2-3b6b20c9734e");
  static final Instant T0 = Instant.parse("2026-11-23T04:18:43Z");
  static final PeerInfo PEER =
      new PeerInfo(
          new InetSocketAddress("127.0.0.1", 50000), new InetSocketAddress("127.0.0.1", 1688));

  private final ManualClock clock = new ManualClock(T0);
  private final List<RequestEvent> events = new ArrayList<>();
  private final KmsHost host =
      KmsHost.builder().clock(clock).random(new SplittableRandom(42)).listener(events::add).build();

  @Test
  void count_threeWindowsClientsThenServer_serverGetsFour() {
    for (int i = 1; i <= 3; i++) {
      assertEquals(i, activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(i), 25).currentClientCount());
    }
    assertEquals(
        4, activate(6, WINDOWS, SERVER_2019_STD, SERVER_2019_KMS, cmid(4), 5).currentClientCount());
  }

  @Test
  void count_sameCmidRenewsTenTimes_countStaysOne() {
    for (int i = 0; i < 10; i++) {
      assertEquals(1, activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(7), 25).currentClientCount());
      clock.advance(Duration.ofDays(1));
    }
  }

  @Test
  void count_cmidNotSeenFor30Days_stopsCounting() {
    activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25);
    clock.advance(Duration.ofDays(29));
    assertEquals(2, activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(2), 25).currentClientCount());
    clock.advance(Duration.ofDays(1));
    assertEquals(
        2,
        activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(3), 25).currentClientCount(),
        "cmid 1, last seen 30 days ago, no longer counts");
    assertEquals(2, host.currentCount(WINDOWS, clock.instant()));
  }

  @Test
  void count_capacityGrowsFrom10To50AndNeverShrinks() {
    for (int i = 0; i < 12; i++) {
      activate(6, WINDOWS, SERVER_2019_STD, SERVER_2019_KMS, cmid(100 + i), 5);
    }
    assertEquals(10, host.currentCount(WINDOWS, clock.instant()), "only servers: capacity 2 x 5");
    activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(200), 25);
    for (int i = 0; i < 60; i++) {
      activate(6, WINDOWS, SERVER_2019_STD, SERVER_2019_KMS, cmid(300 + i), 5);
    }
    assertEquals(
        50,
        host.currentCount(WINDOWS, clock.instant()),
        "a Windows client raised capacity to 2 x 25");
    assertEquals(
        50,
        activate(6, WINDOWS, SERVER_2019_STD, SERVER_2019_KMS, cmid(999), 5).currentClientCount(),
        "capacity never goes back to 10");
  }

  @Test
  void count_office2013CountsApartFromWindows() {
    activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25);
    activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(2), 25);
    assertEquals(
        1,
        activate(6, OFFICE_2013, OFFICE_2019_SKU, OFFICE_2019_KMS, cmid(1), 5)
            .currentClientCount());
    assertEquals(2, host.currentCount(WINDOWS, clock.instant()));
    assertEquals(1, host.currentCount(OFFICE_2013, clock.instant()));
  }

  @Test
  void answer_everyVersion_verifiesAndUsesTheCoveringGroupsEpid() {
    for (int v = 4; v <= 6; v++) {
      StubResponse stub =
          call(request(v, OFFICE_2013, OFFICE_2019_SKU, OFFICE_2019_KMS, cmid(v), 5, T0));
      assertTrue(stub.message().isPresent());
    }
    Epid office = host.identity().ePid("office-2019").orElseThrow();
    assertEquals(
        office.format(),
        activate(6, OFFICE_2013, OFFICE_2019_SKU, OFFICE_2019_KMS, cmid(9), 5).ePid());
    Epid windows = host.identity().ePid("windows-server-2025").orElseThrow();
    assertEquals(3612, windows.platformId());
    assertTrue(windows.groupId() >= 4918 && windows.groupId() <= 4920, windows.toString());
  }

  @Test
  void refuse_productNoGroupCovers_0xC004F042() {
    assertEquals(
        HResult.KMS_ID_MISMATCH,
        call(request(6, WINDOWS, WIN10_PRO, WIN10_RETAIL_KMS, cmid(1), 25, T0)).hresult());
    assertEquals(HResult.KMS_ID_MISMATCH, last().hresult());
    assertEquals(0, host.currentCount(WINDOWS, clock.instant()), "a refusal is not counted");
  }

  @Test
  void refuse_clientClockFiveHoursOff_0xC004F06C() {
    assertEquals(
        HResult.INVALID_TIMESTAMP,
        call(request(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25, T0.plus(Duration.ofHours(5))))
            .hresult());
    assertEquals(
        HResult.S_OK,
        call(request(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25, T0.minus(Duration.ofHours(3))))
            .hresult());
  }

  @Test
  void refuse_clockCheckOff_acceptsSkewedClient() {
    KmsHost lax =
        KmsHost.builder().clock(clock).random(new SplittableRandom(1)).disableClockCheck().build();
    KmsCall call =
        kmsCall(
            request(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25, T0.plus(Duration.ofDays(3))));
    assertEquals(
        HResult.S_OK,
        KmsStubCodec.decodeResponse(
                TransferSyntax.NDR32, lax.rpcHandler().answer(call, PEER).join())
            .hresult());
  }

  @Test
  void refuse_unsupportedVersion_0x8007000D() {
    byte[] v7 =
        KmsClientCodec.encodeRequest(request(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25, T0))
            .bytes();
    v7[2] = 7;
    StubResponse stub = answerRaw(v7);
    assertEquals(HResult.INVALID_DATA, stub.hresult());
    assertTrue(stub.message().isEmpty());
    assertTrue(last().reason().orElseThrow().contains("7.0"));
  }

  @Test
  void refuse_policyAbove1000_0x8007000DAndNotCounted() {
    assertEquals(
        HResult.INVALID_DATA,
        call(request(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 1001, T0)).hresult());
    assertEquals(0, host.currentCount(WINDOWS, clock.instant()));
    assertEquals(
        HResult.S_OK, call(request(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 1000, T0)).hresult());
  }

  @Test
  void refuse_tamperedV4Hash_0x8007000D() {
    byte[] v4 =
        KmsClientCodec.encodeRequest(request(4, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25, T0))
            .bytes();
    v4[v4.length - 1] ^= 1;
    assertEquals(HResult.INVALID_DATA, answerRaw(v4).hresult());
    assertTrue(last().reason().orElseThrow().contains("V4 hash"));
  }

  @Test
  void refuse_truncatedMessage_0x8007000DNotException() {
    byte[] v6 =
        KmsClientCodec.encodeRequest(request(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25, T0))
            .bytes();
    byte[] shortened = java.util.Arrays.copyOf(v6, 100);
    assertEquals(HResult.INVALID_DATA, answerRaw(shortened).hresult());
  }

  @Test
  void refuse_applicationMismatch_0xC004F042() {
    assertEquals(
        HResult.KMS_ID_MISMATCH,
        call(request(6, OFFICE_2013, WIN10_PRO, WIN10_KMS, cmid(1), 25, T0)).hresult());
  }

  @Test
  void strictCoverage_doubtfulServer2025Id_refusedOnlyWhenStrict() {
    Guid synthetic2025 = Guid.parse("4b83307d-7788-50ff-8d1f-1861915bdb9d");
    assertEquals(
        HResult.S_OK,
        call(request(6, WINDOWS, SERVER_2019_STD, synthetic2025, cmid(1), 5, T0)).hresult());
    KmsHost strict =
        KmsHost.builder().clock(clock).random(new SplittableRandom(2)).strictCoverage(true).build();
    KmsCall call = kmsCall(request(6, WINDOWS, SERVER_2019_STD, synthetic2025, cmid(1), 5, T0));
    assertEquals(
        HResult.KMS_ID_MISMATCH,
        KmsStubCodec.decodeResponse(
                TransferSyntax.NDR32, strict.rpcHandler().answer(call, PEER).join())
            .hresult());
  }

  @Test
  void hostKeyGroups_windows10ClientKey_doesNotActivateServers() {
    KmsHost client =
        KmsHost.builder()
            .clock(clock)
            .random(new SplittableRandom(3))
            .hostKeyGroups(List.of("windows-10"))
            .build();
    KmsCall server = kmsCall(request(6, WINDOWS, SERVER_2019_STD, SERVER_2019_KMS, cmid(1), 5, T0));
    assertEquals(
        HResult.KMS_ID_MISMATCH,
        KmsStubCodec.decodeResponse(
                TransferSyntax.NDR32, client.rpcHandler().answer(server, PEER).join())
            .hresult());
  }

  @Test
  void identity_stableAcrossRequestsAndReusedWhenGiven() {
    String first = activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25).ePid();
    assertEquals(first, activate(5, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(2), 25).ePid());
    KmsHost again = KmsHost.builder().clock(clock).identity(host.identity()).build();
    assertEquals(host.identity(), again.identity());
  }

  @Test
  void probeCmid_answeredWithCountButNeverCounted() {
    activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25);
    assertEquals(
        1, activate(6, WINDOWS, WIN10_PRO, WIN10_KMS, KmsHost.PROBE_CMID, 25).currentClientCount());
    assertEquals(1, host.currentCount(WINDOWS, clock.instant()));
    assertTrue(last().probe());
  }

  @Test
  void intervals_outOfRange_rejectedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KmsHost.builder().renewalInterval(Duration.ofMinutes(2)).build());
    assertTrue(e.getMessage().endsWith(": 2 min"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> KmsHost.builder().activationInterval(Duration.ofDays(31)).build());
    assertEquals(Duration.ofMinutes(120), host.activationInterval());
    assertEquals(Duration.ofDays(7), host.renewalInterval());
  }

  @Test
  void listener_throwing_doesNotChangeTheAnswer() {
    KmsHost noisy =
        KmsHost.builder()
            .clock(clock)
            .random(new SplittableRandom(5))
            .listener(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();
    KmsCall call = kmsCall(request(6, WINDOWS, WIN10_PRO, WIN10_KMS, cmid(1), 25, T0));
    StubResponse stub =
        KmsStubCodec.decodeResponse(
            TransferSyntax.NDR32, noisy.rpcHandler().answer(call, PEER).join());
    assertEquals(HResult.S_OK, stub.hresult());
    assertFalse(stub.message().isEmpty());
  }

  private io.github.kmsj.protocol.message.BaseResponse activate(
      int version, Guid app, Guid sku, Guid kmsId, Guid cmid, int n) {
    KmsRequest request = request(version, app, sku, kmsId, cmid, n, clock.instant());
    EncodedRequest encoded = KmsClientCodec.encodeRequest(request);
    StubResponse stub = answerRaw(encoded.bytes());
    assertEquals(HResult.S_OK, stub.hresult(), () -> "refused: " + last());
    VerifiedResponse verified =
        KmsClientCodec.decodeResponse(encoded, stub.message().orElseThrow().toArray());
    assertTrue(verified.isVerified(), () -> "failed " + verified.failedChecks());
    return verified.response().base();
  }

  private StubResponse call(KmsRequest request) {
    return answerRaw(KmsClientCodec.encodeRequest(request).bytes());
  }

  private StubResponse answerRaw(byte[] message) {
    KmsCall call =
        new KmsCall(
            2,
            0,
            TransferSyntax.NDR32,
            0x10,
            KmsStubCodec.encodeRequest(TransferSyntax.NDR32, message));
    return KmsStubCodec.decodeResponse(
        TransferSyntax.NDR32, host.rpcHandler().answer(call, PEER).join());
  }

  private static KmsCall kmsCall(KmsRequest request) {
    return new KmsCall(
        2,
        0,
        TransferSyntax.NDR32,
        0x10,
        KmsStubCodec.encodeRequest(
            TransferSyntax.NDR32, KmsClientCodec.encodeRequest(request).bytes()));
  }

  private RequestEvent last() {
    return events.get(events.size() - 1);
  }

  static KmsRequest request(
      int version, Guid app, Guid sku, Guid kmsId, Guid cmid, int n, Instant time) {
    BaseRequest base =
        new BaseRequest(
            new ProtocolVersion(version, 0),
            0,
            LicenseStatus.OOB_GRACE,
            43200,
            app,
            sku,
            kmsId,
            cmid,
            n,
            Filetime.of(time),
            Guid.ZERO,
            "client.example.test");
    Bytes salt = Bytes.fromHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    if (version == 4) {
      return new RequestV4(base);
    }
    return version == 5 ? new RequestV5(base, salt) : new RequestV6(base, salt);
  }

  static Guid cmid(int i) {
    return Guid.of(new UUID(0x11112222_3333_4444L, 0x8000_0000_0000_0000L | i));
  }

  /** A clock a test moves by hand. */
  static final class ManualClock implements InstantSource {
    private Instant now;

    ManualClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
