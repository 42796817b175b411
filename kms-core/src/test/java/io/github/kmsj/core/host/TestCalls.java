package io.github.kmsj.core.host;

import io.github.kmsj.core.transport.PeerInfo;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV6;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.KmsCall;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Real encoded KMS calls for every outcome, and a host on a fixed clock, for host and management
 * tests.
 */
public final class TestCalls {
  /** The Windows application ID. */
  public static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");

  /** Windows 10 Pro. */
  public static final Guid WIN10_PRO_SKU = Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588");

  /** The Windows 10 KMS counted ID, covered by the default host-key groups. */
  public static final Guid WIN10_KMS_ID = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");

  /** A KMS counted ID no group covers. */
  public static final Guid UNKNOWN_KMS_ID = Guid.parse("11111111-2222-4333-8444-555555555555");

  /** The host's fixed time. */
  public static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  /** A client at 192.0.2.7:50123 talking to the loopback. */
  public static final PeerInfo PEER =
      new PeerInfo(
          new InetSocketAddress(address("192.0.2.7"), 50123),
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 1688));

  private TestCalls() {}

  /**
   * A host builder on a fixed clock at {@link #NOW} and a seeded random, with the default groups.
   */
  public static KmsHost.Builder host() {
    return KmsHost.builder()
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .random(new SplittableRandom(7));
  }

  /** The i-th test CMID. */
  public static Guid cmid(int i) {
    return Guid.of(new UUID(0x6f1c2a3b4d5e4f60L, 0x8a7b000000000000L | i));
  }

  /** A Windows 10 V6 base request. */
  public static BaseRequest base(
      Guid cmid, int policy, LicenseStatus status, Guid kmsCountedId, Instant time) {
    return new BaseRequest(
        ProtocolVersion.V6,
        0,
        status,
        43200,
        WINDOWS,
        WIN10_PRO_SKU,
        kmsCountedId,
        cmid,
        policy,
        Filetime.of(time),
        Guid.ZERO,
        "ws-" + cmid.toString().substring(0, 8) + ".example.test");
  }

  /** A Windows 10 V6 request at {@link #NOW} from an OOB-grace client. */
  public static BaseRequest base(Guid cmid, int policy) {
    return base(cmid, policy, LicenseStatus.OOB_GRACE, WIN10_KMS_ID, NOW);
  }

  /** The NDR32 call carrying a V6 request. */
  public static KmsCall call(BaseRequest base) {
    RequestV6 request = new RequestV6(base, Bytes.fromHex("00112233445566778899aabbccddeeff"));
    return messageCall(KmsClientCodec.encodeRequest(request).bytes());
  }

  /** The NDR32 call carrying any KMS message. */
  public static KmsCall messageCall(byte[] message) {
    return stubCall(KmsStubCodec.encodeRequest(TransferSyntax.NDR32, message));
  }

  /** The NDR32 call carrying any stub. */
  public static KmsCall stubCall(byte[] stub) {
    return new KmsCall(2, 0, TransferSyntax.NDR32, 0x10, stub);
  }

  /** A 260-byte message with protocol version 7.0, which no host supports. */
  public static byte[] version7Message() {
    return ByteBuffer.allocate(260).order(ByteOrder.LITTLE_ENDIAN).putInt(7 << 16).array();
  }

  /**
   * One call per outcome, in this order: count reaches N, count below N, 0xC004F042, 0xC004F06C,
   * unsupported version, undecodable stub, N above 1000, readiness probe.
   */
  public static List<KmsCall> everyOutcome() {
    return List.of(
        call(base(cmid(1), 1)),
        call(base(cmid(2), 25)),
        call(base(cmid(3), 25, LicenseStatus.OOB_GRACE, UNKNOWN_KMS_ID, NOW)),
        call(
            base(
                cmid(4), 25, LicenseStatus.OOB_GRACE, WIN10_KMS_ID, NOW.plus(Duration.ofHours(5)))),
        messageCall(version7Message()),
        stubCall(new byte[] {1, 2, 3}),
        call(base(cmid(5), 1001)),
        call(base(KmsHost.PROBE_CMID, 25)));
  }

  /** The events a fresh {@link #host()} publishes for {@link #everyOutcome()}. */
  public static List<RequestEvent> everyOutcomeEvents() {
    List<RequestEvent> events = new ArrayList<>();
    KmsHost host = host().listener(events::add).build();
    for (KmsCall c : everyOutcome()) {
      host.rpcHandler().answer(c, PEER).join();
    }
    return events;
  }

  /** The HRESULT of a response stub. */
  public static HResult hresult(byte[] responseStub) {
    return KmsStubCodec.decodeResponse(TransferSyntax.NDR32, responseStub).hresult();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
