package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;

/**
 * Fixed, readable KMS values for message tests (the docs/PROTOCOL.md §12 worked example's values).
 */
final class MessageFixtures {
  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final Guid SKU = Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588");
  static final Guid KMS_ID = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");
  static final Guid CMID = Guid.parse("6f1c2a3b-4d5e-4f60-8a7b-0c1d2e3f0604");
  static final Filetime TIME = new Filetime(134398811270000000L);
  static final Bytes SALT = Bytes.fromHex("4fc62f80a81463955277e92dee6cb9eb");
  static final Bytes HWID = Bytes.fromHex("364f463a8863d35f");
  static final ResponseRandom RANDOM =
      new ResponseRandom(
          Bytes.fromHex("ca8f4d39385b212f0053eb5843ef05ab"),
          Bytes.fromHex("d7afdc584a6d5ec932c73398346ef1f8"));
  static final String EPID = "03612-00206-556-123456-03-1033-17763.0000-2792018";

  private MessageFixtures() {}

  static BaseRequest baseRequest(ProtocolVersion version) {
    return new BaseRequest(
        version,
        0,
        LicenseStatus.OOB_GRACE,
        43200,
        WINDOWS,
        SKU,
        KMS_ID,
        CMID,
        25,
        TIME,
        Guid.ZERO,
        "kmsj-v6d.example.test");
  }

  static KmsRequest request(ProtocolVersion version) {
    BaseRequest base = baseRequest(version);
    return switch (version.major()) {
      case 4 -> new RequestV4(base);
      case 5 -> new RequestV5(base, SALT);
      default -> new RequestV6(base, SALT);
    };
  }

  static BaseResponse answer(BaseRequest q) {
    return new BaseResponse(q.version(), EPID, q.cmid(), q.requestTime(), 50, 120, 10080);
  }

  /** The host's response bytes to {@code sent}, for {@code base}. */
  static byte[] respond(EncodedRequest sent, BaseResponse base) {
    return KmsHostCodec.encodeResponse(
        KmsHostCodec.decodeRequest(sent.bytes()), base, RANDOM, HWID);
  }
}
