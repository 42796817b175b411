package io.github.kmsj.protocol.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the seed corpora of kms-protocol's fuzz targets from the golden vectors; run from the
 * module directory with {@code src/test/resources} as the argument (docs/FUZZING.md). Seeds are
 * named by their SHA-1, so running it again adds only what changed.
 */
public final class FuzzCorpus {
  private FuzzCorpus() {}

  /** Writes every seed under {@code args[0]}. */
  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    String pkg = "io.github.kmsj.protocol.";

    List<byte[]> streams = new ArrayList<>();
    for (byte[] s : FuzzInputs.streams()) {
      streams.add(FuzzInputs.prefixed(new byte[] {0}, s)); // whole
      streams.add(FuzzInputs.prefixed(new byte[] {3, 0, 2, 99}, s)); // 1-, 3- and 100-byte chunks
    }
    report(
        FuzzInputs.writeSeeds(
            root, pkg + "rpc.PduDecoderFuzzTest", "decoder_anyStreamInAnyChunks", streams));

    List<byte[]> bound = new ArrayList<>();
    List<byte[][]> connections = FuzzInputs.boundConnections();
    for (int i = 0; i < connections.size(); i++) {
      bound.add(FuzzInputs.prefixed(new byte[] {(byte) i}, connections.get(i)[1]));
    }
    report(
        FuzzInputs.writeSeeds(
            root,
            pkg + "rpc.HostAssociationFuzzTest",
            "association_afterValidBind_anyPdus",
            bound));

    List<byte[]> requests = new ArrayList<>();
    List<byte[]> responses = new ArrayList<>();
    List<FuzzInputs.Call> calls = FuzzInputs.calls();
    for (int i = 0; i < calls.size(); i++) {
      requests.add(calls.get(i).requestMessage());
    }
    report(
        FuzzInputs.writeSeeds(
            root, pkg + "message.KmsMessageFuzzTest", "hostDecodeRequest_anyBytes", requests));
    for (int i = 0; i < calls.size(); i++) {
      FuzzInputs.Call c = calls.get(i);
      byte[] message =
          io.github.kmsj.protocol.ndr.KmsStubCodec.decodeResponse(c.syntax(), c.responseStub())
              .message()
              .map(m -> m.toArray())
              .orElse(null);
      if (message != null) {
        responses.add(FuzzInputs.prefixed(new byte[] {(byte) i}, message));
      }
    }
    report(
        FuzzInputs.writeSeeds(
            root, pkg + "message.KmsMessageFuzzTest", "clientDecodeResponse_anyBytes", responses));
  }

  private static void report(int n) {
    System.out.println("wrote " + n + " seeds");
  }
}
