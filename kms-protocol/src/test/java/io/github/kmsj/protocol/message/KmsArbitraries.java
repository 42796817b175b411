package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators for KMS message values. */
final class KmsArbitraries {
  private KmsArbitraries() {}

  static Arbitrary<Guid> guids() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Guid::new);
  }

  /** UTF-16 text without NUL and without lone surrogates, which UTF-16LE cannot carry unchanged. */
  static Arbitrary<String> texts(int maxLength) {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('\u0001', '\u007f').ofMaxLength(maxLength),
        Arbitraries.strings()
            .withCharRange('\u0001', '\ud7ff')
            .withCharRange('\ue000', '\uffff')
            .ofMaxLength(maxLength));
  }

  static Arbitrary<Bytes> bytes(int size) {
    return Arbitraries.bytes().array(byte[].class).ofSize(size).map(Bytes::of);
  }

  static Arbitrary<BaseRequest> baseRequests(ProtocolVersion version) {
    return Combinators.combine(
            Arbitraries.integers().array(int[].class).ofSize(4),
            guids().array(Guid[].class).ofSize(5),
            Arbitraries.longs(),
            texts(BaseRequest.MAX_WORKSTATION_NAME))
        .as(
            (i, g, time, name) ->
                new BaseRequest(
                    version,
                    i[0],
                    LicenseStatus.of(i[1]),
                    i[2],
                    g[0],
                    g[1],
                    g[2],
                    g[3],
                    i[3],
                    new Filetime(time),
                    g[4],
                    name));
  }

  /** Random valid V4, V5 and V6 requests. */
  static Arbitrary<KmsRequest> requests() {
    return Arbitraries.oneOf(
        baseRequests(ProtocolVersion.V4).map(RequestV4::new),
        Combinators.combine(baseRequests(ProtocolVersion.V5), bytes(16)).as(RequestV5::new),
        Combinators.combine(baseRequests(ProtocolVersion.V6), bytes(16)).as(RequestV6::new));
  }

  /**
   * A base response answering {@code q}: echoes its version, CMID and time, with random other
   * fields.
   */
  static Arbitrary<BaseResponse> answers(BaseRequest q) {
    return Combinators.combine(texts(63), Arbitraries.integers().array(int[].class).ofSize(3))
        .as(
            (ePid, i) ->
                new BaseResponse(q.version(), ePid, q.cmid(), q.requestTime(), i[0], i[1], i[2]));
  }

  static BaseRequest base(KmsRequest q) {
    if (q instanceof RequestV4 v4) {
      return v4.base();
    }
    return q instanceof RequestV5 v5 ? v5.base() : ((RequestV6) q).base();
  }
}
