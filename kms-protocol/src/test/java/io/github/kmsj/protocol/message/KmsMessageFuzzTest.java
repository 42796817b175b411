package io.github.kmsj.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.testing.FuzzInputs;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the KMS message decoders (docs/FUZZING.md): {@link
 * KmsHostCodec#decodeRequest} and {@link KmsClientCodec#decodeResponse} fail only with {@link
 * KmsProtocolException}, and a request that decodes re-encodes to one that decodes back equal.
 */
final class KmsMessageFuzzTest {
  private static final List<FuzzInputs.Call> CALLS = FuzzInputs.calls();

  @FuzzTest(maxDuration = "5m")
  void hostDecodeRequest_anyBytes(byte[] data) {
    DecodedRequest decoded;
    try {
      decoded = KmsHostCodec.decodeRequest(data);
    } catch (KmsProtocolException expected) {
      return;
    }
    KmsRequest request = decoded.request();
    // The round trip is promised for requests that pass every check (KmsMessageProperties). One
    // that fails a check (a hash, the padding, the inner version echo) keeps its fields as decoded,
    // which need not re-encode the same: its inner version may differ from the outer one.
    if (!(request instanceof UnsupportedRequest) && decoded.failedCheck().isEmpty()) {
      assertEquals(
          request,
          KmsHostCodec.decodeRequest(KmsClientCodec.encodeRequest(request).bytes()).request());
    }
  }

  /**
   * Input: byte 0 picks the recorded request that was sent (modulo their number), the rest is the
   * response.
   */
  @FuzzTest(maxDuration = "5m")
  void clientDecodeResponse_anyBytes(byte[] data) {
    if (data.length == 0) {
      return;
    }
    EncodedRequest sent = CALLS.get((data[0] & 0xff) % CALLS.size()).sent();
    try {
      VerifiedResponse response =
          KmsClientCodec.decodeResponse(sent, Arrays.copyOfRange(data, 1, data.length));
      response.failedChecks();
      response.response().base();
    } catch (KmsProtocolException expected) {
      // the only failure allowed
    }
  }
}
