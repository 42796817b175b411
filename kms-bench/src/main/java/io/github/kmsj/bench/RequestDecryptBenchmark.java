package io.github.kmsj.bench;

import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.KmsHostCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Decoding and verifying one KMS request message ({@link KmsHostCodec#decodeRequest}): the V4 hash,
 * or the V5/V6 CBC decryption, padding check and salt decryption.
 */
public class RequestDecryptBenchmark extends AbstractBenchmark {
  private static final int SIZE = 1024;
  private static final int MASK = SIZE - 1;

  @Param({"V4", "V5", "V6"})
  public String version;

  private byte[][] messages;
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    messages = Fixtures.messages(Fixtures.major(version), SIZE, SIZE);
    for (byte[] m : messages) {
      if (!KmsHostCodec.decodeRequest(m).isAnswerable()) {
        throw new IllegalStateException("fixture request does not verify");
      }
    }
  }

  @Benchmark
  public DecodedRequest decodeRequest() {
    return KmsHostCodec.decodeRequest(messages[i++ & MASK]);
  }
}
