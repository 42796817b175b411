package io.github.kmsj.core.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.testing.FuzzInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link ResponseClassifier} (docs/FUZZING.md): a response stub that
 * decodes is always classified, never thrown; only the stub decoder may refuse, with {@link
 * KmsProtocolException}, which the session reports as a validation failure.
 *
 * <p>Input: byte 0 picks the recorded request that was sent (modulo their number), the rest is the
 * response stub in that call's transfer syntax.
 */
final class ResponseClassifierFuzzTest {
  private static final List<FuzzInputs.Call> CALLS = FuzzInputs.calls();
  private static final ActivationRequest REQUEST =
      ClientFixtures.request(ClientFixtures.WINDOWS_10, 1);

  @FuzzTest(maxDuration = "5m")
  void classify_anyResponseStub(byte[] data) {
    if (data.length == 0) {
      return;
    }
    FuzzInputs.Call call = CALLS.get((data[0] & 0xff) % CALLS.size());
    StubResponse stub;
    try {
      stub = KmsStubCodec.decodeResponse(call.syntax(), Arrays.copyOfRange(data, 1, data.length));
    } catch (KmsProtocolException expected) {
      return;
    }
    ActivationResult result =
        ResponseClassifier.classify(call.sent(), stub, REQUEST, "fuzz", StageTimings.ZERO);
    assertNotNull(result);
    assertNotNull(result.toString());
  }

  /** Writes the seed corpus: every recorded response stub after the index of its request. */
  public static void main(String[] args) {
    List<byte[]> seeds = new ArrayList<>();
    for (int i = 0; i < CALLS.size(); i++) {
      seeds.add(FuzzInputs.prefixed(new byte[] {(byte) i}, CALLS.get(i).responseStub()));
    }
    int n =
        FuzzInputs.writeSeeds(
            Path.of(args[0]),
            ResponseClassifierFuzzTest.class.getName(),
            "classify_anyResponseStub",
            seeds);
    System.out.println("wrote " + n + " seeds");
  }
}
