package io.github.kmsj.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.internal.LittleEndian;
import io.github.kmsj.protocol.testing.Mutations;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Round trips and robustness of the KMS message codecs (docs/PROTOCOL.md §5, §6). */
final class KmsMessageProperties {

  /** A request, the host's answer and the randomness the host used. */
  record Exchange(KmsRequest request, BaseResponse answer, ResponseRandom random, Bytes hwid) {}

  @Provide
  Arbitrary<KmsRequest> requests() {
    return KmsArbitraries.requests();
  }

  @Provide
  Arbitrary<Exchange> exchanges() {
    return KmsArbitraries.requests()
        .flatMap(
            q ->
                Combinators.combine(
                        KmsArbitraries.answers(KmsArbitraries.base(q)),
                        Combinators.combine(KmsArbitraries.bytes(16), KmsArbitraries.bytes(16))
                            .as(ResponseRandom::new),
                        KmsArbitraries.bytes(8))
                    .as((a, r, h) -> new Exchange(q, a, r, h)));
  }

  @Property(tries = 300)
  void hostDecode_ofClientEncode_givesTheRequestBack(@ForAll("requests") KmsRequest request) {
    EncodedRequest encoded = KmsClientCodec.encodeRequest(request);
    assertEquals(request instanceof RequestV4 ? 252 : 260, encoded.bytes().length);
    DecodedRequest decoded = KmsHostCodec.decodeRequest(encoded.bytes());
    assertEquals(request, decoded.request());
    assertEquals(Optional.empty(), decoded.failedCheck());
    assertTrue(decoded.isAnswerable());
  }

  @Property(tries = 300)
  void clientDecode_ofHostEncode_verifiesWithTheSameBase(@ForAll("exchanges") Exchange x) {
    KmsRequest q = x.request();
    Assume.that(!(q instanceof RequestV6 v6) || !v6.salt().equals(x.random().responseSalt()));
    EncodedRequest sent = KmsClientCodec.encodeRequest(q);
    byte[] response =
        KmsHostCodec.encodeResponse(
            KmsHostCodec.decodeRequest(sent.bytes()), x.answer(), x.random(), x.hwid());
    VerifiedResponse vr = KmsClientCodec.decodeResponse(sent, response);
    assertEquals(List.of(), vr.failedChecks());
    assertEquals(x.answer(), vr.response().base());
    int l = x.answer().ePidSize();
    if (q instanceof RequestV4) {
      assertEquals(60 + l, response.length);
    } else if (q instanceof RequestV5 v5) {
      assertEquals(20 + pad16(92 + l), response.length);
      assertEquals(v5.salt(), ((ResponseV5) vr.response()).salt());
    } else {
      assertEquals(20 + pad16(132 + l), response.length);
      ResponseV6 r6 = (ResponseV6) vr.response();
      assertEquals(x.hwid(), r6.hwid());
      assertEquals(x.random().responseSalt(), r6.salt());
    }
  }

  private static int pad16(int x) {
    return (x / 16 + 1) * 16;
  }

  @Provide
  Arbitrary<byte[]> requestNoise() {
    Arbitrary<byte[]> versioned =
        Combinators.combine(
                Arbitraries.of(0x00040000, 0x00050000, 0x00060000), Mutations.noise(300))
            .as(
                (version, rest) -> {
                  byte[] b = new byte[4 + rest.length];
                  LittleEndian.putInt(b, 0, version);
                  System.arraycopy(rest, 0, b, 4, rest.length);
                  return b;
                });
    return Arbitraries.oneOf(Mutations.noise(300), versioned);
  }

  @Provide
  Arbitrary<byte[]> mutatedRequests() {
    return Mutations.of(
        KmsArbitraries.requests().map(q -> KmsClientCodec.encodeRequest(q).bytes()));
  }

  @Property(tries = 500)
  void hostDecode_randomBytes_failsOnlyWithOurException(@ForAll("requestNoise") byte[] bytes) {
    try {
      KmsHostCodec.decodeRequest(bytes);
    } catch (KmsProtocolException expected) {
      // the only failure allowed
    }
  }

  @Property(tries = 500)
  void hostDecode_mutatedRequest_failsOnlyWithOurException(
      @ForAll("mutatedRequests") byte[] bytes) {
    try {
      KmsHostCodec.decodeRequest(bytes);
    } catch (KmsProtocolException expected) {
      // the only failure allowed
    }
  }

  /** A sent request and bytes that claim to answer it. */
  record Answer(EncodedRequest sent, byte[] bytes) {}

  @Provide
  Arbitrary<Answer> mutatedResponses() {
    return exchanges()
        .filter(
            x ->
                !(x.request() instanceof RequestV6 v6)
                    || !v6.salt().equals(x.random().responseSalt()))
        .flatMap(
            x -> {
              EncodedRequest sent = KmsClientCodec.encodeRequest(x.request());
              byte[] valid =
                  KmsHostCodec.encodeResponse(
                      KmsHostCodec.decodeRequest(sent.bytes()), x.answer(), x.random(), x.hwid());
              return Arbitraries.oneOf(Mutations.of(valid), Mutations.noise(300))
                  .map(b -> new Answer(sent, b));
            });
  }

  @Property(tries = 500)
  void clientDecode_mutatedOrRandomResponse_failsOnlyWithOurException(
      @ForAll("mutatedResponses") Answer a) {
    try {
      KmsClientCodec.decodeResponse(a.sent(), a.bytes());
    } catch (KmsProtocolException expected) {
      // the only failure allowed
    }
  }
}
