package io.github.kmsj.bench;

import io.github.kmsj.core.host.HostResponse;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseResponse;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.ResponseRandom;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Encoding one answer: {@link KmsHostCodec#encodeResponse} (V4 hash, or the V5/V6 random, SHA-256,
 * V6 HMAC, padding and CBC encryption) and then the NDR32 response stub. The random values are
 * precomputed, so the random source is not measured here (it is in {@link FullRequestBenchmark}).
 */
public class ResponseEncodeBenchmark extends AbstractBenchmark {
  private static final int SIZE = 1024;
  private static final int MASK = SIZE - 1;

  @Param({"V4", "V5", "V6"})
  public String version;

  private DecodedRequest[] requests;
  private BaseResponse[] bases;
  private ResponseRandom[] randoms;
  private Bytes hwid;
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    KmsHost host = Fixtures.host();
    byte[][] messages = Fixtures.messages(Fixtures.major(version), SIZE, SIZE);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(42);
    requests = new DecodedRequest[SIZE];
    bases = new BaseResponse[SIZE];
    randoms = new ResponseRandom[SIZE];
    for (int j = 0; j < SIZE; j++) {
      requests[j] = KmsHostCodec.decodeRequest(messages[j]);
      HostResponse.Answered a = (HostResponse.Answered) host.handle(requests[j], Fixtures.NOW);
      bases[j] = a.base();
      hwid = a.hwid();
      randoms[j] = ResponseRandom.generate(rng);
    }
  }

  @Benchmark
  public byte[] encodeResponse() {
    int k = i++ & MASK;
    byte[] message = KmsHostCodec.encodeResponse(requests[k], bases[k], randoms[k], hwid);
    return KmsStubCodec.encodeResponse(TransferSyntax.NDR32, message);
  }
}
