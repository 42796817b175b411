package io.github.kmsj.core.store;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV6;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Decoded Windows 10 V6 requests as a host sees them, for store tests. */
final class StoreTestRequests {
  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final Guid WIN10_PRO_SKU = Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588");
  static final Guid WIN10_KMS_ID = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");
  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private StoreTestRequests() {}

  static DecodedRequest request(Guid cmid, int policy, Instant time) {
    BaseRequest base =
        new BaseRequest(
            new ProtocolVersion(6, 0),
            0,
            LicenseStatus.OOB_GRACE,
            43200,
            WINDOWS,
            WIN10_PRO_SKU,
            WIN10_KMS_ID,
            cmid,
            policy,
            Filetime.of(time),
            Guid.ZERO,
            "ws-" + cmid.toString().substring(24));
    Bytes salt = Bytes.fromHex("00112233445566778899aabbccddeeff");
    return KmsHostCodec.decodeRequest(
        KmsClientCodec.encodeRequest(new RequestV6(base, salt)).bytes());
  }

  static Guid cmid(long i) {
    return Guid.of(new UUID(0x6f1c2a3b4d5e4f60L, 0x8a7b000000000000L | i));
  }

  static Optional<InetSocketAddress> remote(int i) {
    try {
      return Optional.of(
          new InetSocketAddress(
              InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 49152 + i));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
