package io.github.kmsj.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.RequestV5;
import io.github.kmsj.protocol.message.UnsupportedRequest;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduDecoder;
import io.github.kmsj.protocol.rpc.RequestPdu;
import io.github.kmsj.protocol.rpc.ResponsePdu;
import io.github.kmsj.protocol.testing.GoldenVector;
import io.github.kmsj.protocol.testing.GoldenVectors;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Damaged copies of every recorded PDU and KMS message (truncated at every length, extended,
 * bit-flipped with a fixed seed) fail only with {@link KmsProtocolException}, and damaged V4/V6
 * responses never verify.
 */
final class VectorFuzzTest {
  private static final int FLIPS = 40;

  /** Runs {@code decode}; any exception other than ours fails the test. */
  private static void onlyOurs(String what, byte[] input, Consumer<byte[]> decode) {
    try {
      decode.accept(input);
    } catch (KmsProtocolException expected) {
      // the only failure allowed
    } catch (RuntimeException e) {
      throw new AssertionError(what + ": " + e + " on input " + Bytes.of(input).toHex(), e);
    }
  }

  private static byte[] flip(byte[] valid, Random random) {
    byte[] b = valid.clone();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
    }
    return b;
  }

  private static void decodeAsStream(byte[] bytes) {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    decoder.feed(bytes);
    int polls = 0;
    while (decoder.next().isPresent()) {
      assertTrue(++polls <= bytes.length / 16, "more PDUs than headers");
    }
  }

  @Test
  void vectorPdus_truncatedExtendedOrFlipped_failOnlyWithOurException() {
    int pdus = 0;
    for (GoldenVector v : GoldenVectors.all()) {
      Random random = new Random(v.name().hashCode());
      for (int i = 0; i < v.exchange().size(); i++) {
        byte[] valid = v.pdu(i);
        String what = v + " PDU #" + i;
        for (int k = 0; k < valid.length; k++) {
          byte[] cut = Arrays.copyOf(valid, k);
          assertThrows(
              KmsProtocolException.class,
              () -> PduCodec.decode(cut, DecodeLimits.DEFAULT),
              what + " cut at " + k);
          onlyOurs(what, cut, VectorFuzzTest::decodeAsStream);
        }
        byte[] longer = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(16));
        assertThrows(
            KmsProtocolException.class,
            () -> PduCodec.decode(longer, DecodeLimits.DEFAULT),
            what + " extended");
        for (int f = 0; f < FLIPS; f++) {
          byte[] flipped = flip(valid, random);
          onlyOurs(what, flipped, b -> PduCodec.decode(b, DecodeLimits.DEFAULT));
          onlyOurs(what, flipped, VectorFuzzTest::decodeAsStream);
        }
        pdus++;
      }
    }
    assertEquals(GoldenVectorTest.PDUS, pdus);
  }

  @Test
  void vectorStubsAndMessages_damaged_failOnlyWithOurExceptionAndNeverVerify() {
    int calls = 0;
    for (GoldenVector v : GoldenVectors.all()) {
      Random random = new Random(v.name().hashCode() * 31L);
      for (GoldenVector.Call c : v.expect().calls()) {
        if (c.requestPdu() == null || c.responsePdu() == null) {
          continue;
        }
        TransferSyntax syntax = TransferSyntax.valueOf(c.transferSyntax());
        byte[] requestStub =
            ((RequestPdu) PduCodec.decode(v.pdu(c.requestPdu()), DecodeLimits.DEFAULT))
                .stub()
                .toArray();
        byte[] responseStub =
            ((ResponsePdu) PduCodec.decode(v.pdu(c.responsePdu()), DecodeLimits.DEFAULT))
                .stub()
                .toArray();
        byte[] message = KmsStubCodec.decodeRequest(syntax, requestStub, 4096);
        String what = v + " call " + c.callId();
        for (int f = 0; f < FLIPS; f++) {
          onlyOurs(
              what + " request stub",
              flip(requestStub, random),
              b -> KmsStubCodec.decodeRequest(syntax, b, 4096));
          onlyOurs(
              what + " response stub",
              flip(responseStub, random),
              b -> KmsStubCodec.decodeResponse(syntax, b));
          onlyOurs(what + " request", flip(message, random), KmsHostCodec::decodeRequest);
          onlyOurs(
              what + " request cut",
              Arrays.copyOf(message, random.nextInt(message.length)),
              KmsHostCodec::decodeRequest);
        }
        DecodedRequest decoded = KmsHostCodec.decodeRequest(message);
        StubResponse sr = KmsStubCodec.decodeResponse(syntax, responseStub);
        if (decoded.request() instanceof UnsupportedRequest || sr.message().isEmpty()) {
          calls++;
          continue;
        }
        EncodedRequest sent = KmsClientCodec.encodeRequest(decoded.request());
        byte[] response = sr.message().get().toArray();
        boolean v5 = decoded.request() instanceof RequestV5;
        for (int f = 0; f < FLIPS; f++) {
          byte[] damaged =
              f % 4 == 0
                  ? Arrays.copyOf(response, random.nextInt(response.length))
                  : flip(response, random);
          onlyOurs(
              what + " response",
              damaged,
              b -> {
                VerifiedResponse vr = KmsClientCodec.decodeResponse(sent, b);
                // V5 does not authenticate the base response (docs/PROTOCOL.md §5.6);
                // MessageTamperTest
                // covers it.
                if (!v5) {
                  assertFalse(
                      vr.isVerified(),
                      what + ": damaged response verified: " + Bytes.of(b).toHex());
                }
              });
        }
        calls++;
      }
    }
    assertEquals(GoldenVectorTest.CALLS - 1, calls, "every call with a request and a response PDU");
  }
}
