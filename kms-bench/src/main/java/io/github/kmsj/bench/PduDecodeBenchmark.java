package io.github.kmsj.bench;

import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.Pdu;
import io.github.kmsj.protocol.rpc.PduDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Framing and decoding one request PDU: {@link PduDecoder#feed} then {@link PduDecoder#next}. */
public class PduDecodeBenchmark extends AbstractBenchmark {
  private static final int SIZE = 1024;
  private static final int MASK = SIZE - 1;

  @Param({"NDR32", "NDR64"})
  public String ndr;

  private byte[][] pdus;
  private PduDecoder decoder;
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    TransferSyntax syntax = TransferSyntax.valueOf(ndr);
    byte[][] messages = Fixtures.messages(6, SIZE, SIZE);
    pdus = new byte[SIZE][];
    for (int j = 0; j < SIZE; j++) {
      pdus[j] =
          Fixtures.requestPdu(syntax, syntax == TransferSyntax.NDR32 ? 0 : 1, j + 2, messages[j]);
    }
    decoder = new PduDecoder(Fixtures.limits());
  }

  @Benchmark
  public Pdu feedAndNext() {
    decoder.feed(pdus[i++ & MASK]);
    return decoder.next().orElseThrow();
  }
}
