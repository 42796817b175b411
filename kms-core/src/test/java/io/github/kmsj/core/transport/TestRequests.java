package io.github.kmsj.core.transport;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.KmsRequest;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV4;
import io.github.kmsj.protocol.message.RequestV5;
import io.github.kmsj.protocol.message.RequestV6;
import java.time.Instant;
import java.util.UUID;

/** Requests for real products, for host and transport tests. */
final class TestRequests {
  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final Guid WIN10_PRO_SKU = Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588");
  static final Guid WIN10_KMS_ID = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");

  private TestRequests() {}

  static KmsRequest windows10(int major, Guid cmid, Instant time) {
    ProtocolVersion v = new ProtocolVersion(major, 0);
    BaseRequest base =
        new BaseRequest(
            v,
            0,
            LicenseStatus.OOB_GRACE,
            43200,
            WINDOWS,
            WIN10_PRO_SKU,
            WIN10_KMS_ID,
            cmid,
            25,
            Filetime.of(time),
            Guid.ZERO,
            "ws-" + cmid.toString().substring(0, 8) + ".example.test");
    Bytes salt = Bytes.fromHex("00112233445566778899aabbccddeeff");
    return switch (major) {
      case 4 -> new RequestV4(base);
      case 5 -> new RequestV5(base, salt);
      default -> new RequestV6(base, salt);
    };
  }

  static Guid cmid(int i) {
    return Guid.of(new UUID(0x6f1c2a3b4d5e4f60L, 0x8a7b000000000000L | i));
  }
}
