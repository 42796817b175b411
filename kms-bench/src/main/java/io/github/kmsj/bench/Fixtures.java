package io.github.kmsj.bench;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsRequest;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV4;
import io.github.kmsj.protocol.message.RequestV5;
import io.github.kmsj.protocol.message.RequestV6;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduHeader;
import io.github.kmsj.protocol.rpc.PfcFlags;
import io.github.kmsj.protocol.rpc.RequestPdu;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;

/**
 * Inputs shared by the benchmarks and the load tool: Windows 10 Pro requests from distinct client
 * machine IDs at one pinned instant, as KMS messages, NDR stubs and request PDUs. Built before
 * measuring, never in the measured loop.
 */
public final class Fixtures {
  /** The instant every benchmark host's clock is pinned to. */
  public static final Instant NOW = Instant.parse("2025-06-02T10:00:00Z");

  /**
   * The instant benchmark requests carry: a client clock 2.5 s behind the host's, as real clients
   * are, so that the clock check sees a negative skew (a zero skew would skip part of its work).
   */
  public static final Instant REQUEST_TIME = NOW.minusMillis(2500);

  /** A clock that always reads {@link #NOW}. */
  public static final InstantSource CLOCK = InstantSource.fixed(NOW);

  /** Windows (application ID). */
  public static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");

  static final Guid WIN10_PRO_SKU = Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588");
  static final Guid WIN10_KMS_ID = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");

  /** The N policy of a Windows client; the host's table capacity becomes 50. */
  public static final int POLICY = 25;

  private Fixtures() {}

  /** The smallest power of two at least {@code n}. */
  public static int powerOfTwoAtLeast(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  /** The {@code i}-th client machine ID; distinct for distinct {@code i}. */
  public static Guid cmid(long i) {
    return Guid.of(new UUID(0x6f1c2a3b4d5e4f60L, 0x8a7b000000000000L | (i & 0xffff_ffff_ffffL)));
  }

  /**
   * A Windows 10 Pro request of protocol {@code major} (4, 5 or 6) from client {@code i} at {@link
   * #REQUEST_TIME}.
   */
  public static KmsRequest request(int major, long i) {
    return request(major, i, REQUEST_TIME);
  }

  /** A Windows 10 Pro request of protocol {@code major} from client {@code i} at {@code time}. */
  public static KmsRequest request(int major, long i, Instant time) {
    Guid cmid = cmid(i);
    BaseRequest base =
        new BaseRequest(
            new ProtocolVersion(major, 0),
            0,
            LicenseStatus.OOB_GRACE,
            43200,
            WINDOWS,
            WIN10_PRO_SKU,
            WIN10_KMS_ID,
            cmid,
            POLICY,
            Filetime.of(time),
            Guid.ZERO,
            "ws-" + Long.toHexString(i) + ".bench.test");
    byte[] salt = new byte[16];
    for (int k = 0; k < 16; k++) {
      salt[k] = (byte) (i >>> (8 * (k & 7)) ^ 0x5a ^ k);
    }
    return switch (major) {
      case 4 -> new RequestV4(base);
      case 5 -> new RequestV5(base, Bytes.of(salt));
      case 6 -> new RequestV6(base, Bytes.of(salt));
      default -> throw new IllegalArgumentException("protocol major must be 4, 5 or 6: " + major);
    };
  }

  /** The encoded KMS message of {@link #request(int, long)}. */
  public static byte[] message(int major, long i) {
    return KmsClientCodec.encodeRequest(request(major, i)).bytes();
  }

  /**
   * {@code size} messages (a power of two, so that callers cycle with {@code i++ & (size - 1)})
   * from {@code clients} distinct clients: message {@code j} is from client {@code j % clients}.
   */
  public static byte[][] messages(int major, int size, int clients) {
    byte[][] out = new byte[size][];
    for (int j = 0; j < size; j++) {
      out[j] = j < clients ? message(major, j) : out[j % clients];
    }
    return out;
  }

  /** A whole single-fragment request PDU carrying {@code message} on context {@code contextId}. */
  public static byte[] requestPdu(
      TransferSyntax syntax, int contextId, int callId, byte[] message) {
    byte[] stub = KmsStubCodec.encodeRequest(syntax, message);
    return PduCodec.encode(
        new RequestPdu(
            PduHeader.of(PfcFlags.FIRST_LAST, callId),
            stub.length,
            contextId,
            0,
            Optional.empty(),
            Bytes.of(stub)));
  }

  /** A host with the default configuration and its clock pinned to {@link #NOW}. */
  public static KmsHost host() {
    return KmsHost.builder().clock(CLOCK).build();
  }

  /** The protocol major of a benchmark parameter "V4", "V5" or "V6". */
  public static int major(String version) {
    return switch (version) {
      case "V4" -> 4;
      case "V5" -> 5;
      case "V6" -> 6;
      default -> throw new IllegalArgumentException("version must be V4, V5 or V6: " + version);
    };
  }

  /** Default decoder limits. */
  public static DecodeLimits limits() {
    return DecodeLimits.DEFAULT;
  }
}
