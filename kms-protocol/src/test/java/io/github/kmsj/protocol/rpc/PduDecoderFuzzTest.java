package io.github.kmsj.protocol.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.KmsProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of {@link PduDecoder} fed in arbitrary chunks (docs/FUZZING.md): it fails
 * only with {@link KmsProtocolException}, the chunking changes nothing, and every PDU it returns
 * re-encodes to a PDU that decodes back equal (the promise of {@link PduCodecProperties}).
 *
 * <p>Input: byte 0 holds k (its low 4 bits), the next k bytes are chunk sizes (each plus one, used
 * in turn), the rest is the stream. k = 0 feeds the stream whole.
 */
final class PduDecoderFuzzTest {

  /** The PDUs a decoder returns, and the exception that stopped it (null if none). */
  record Decoded(List<Pdu> pdus, KmsProtocolException failure) {}

  @FuzzTest(maxDuration = "5m")
  void decoder_anyStreamInAnyChunks(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int k = Math.min(data[0] & 0x0f, data.length - 1);
    int[] chunks = new int[Math.max(k, 1)];
    for (int i = 0; i < k; i++) {
      chunks[i] = (data[1 + i] & 0xff) + 1;
    }
    int from = 1 + k;
    if (k == 0) {
      chunks[0] = Math.max(data.length - from, 1);
    }
    Decoded chunked = decode(data, from, chunks);
    Decoded whole = decode(data, from, new int[] {Math.max(data.length - from, 1)});
    assertEquals(whole.pdus(), chunked.pdus(), "chunking changed the PDUs");
    assertEquals(
        whole.failure() == null ? null : whole.failure().getClass(),
        chunked.failure() == null ? null : chunked.failure().getClass(),
        "chunking changed the failure");
    assertTrue(whole.pdus().size() <= (data.length - from) / PduCodec.HEADER_SIZE);
    for (Pdu pdu : whole.pdus()) {
      byte[] again = PduCodec.encode(pdu);
      assertEquals(again.length, io.github.kmsj.protocol.internal.LittleEndian.getShort(again, 8));
      assertEquals(pdu, PduCodec.decode(again, DecodeLimits.DEFAULT), "re-encoded " + pdu);
    }
  }

  static Decoded decode(byte[] data, int from, int[] chunks) {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    List<Pdu> pdus = new ArrayList<>();
    int at = from;
    int c = 0;
    try {
      while (at < data.length) {
        int n = Math.min(chunks[c++ % chunks.length], data.length - at);
        decoder.feed(data, at, n);
        at += n;
        for (Optional<Pdu> p = decoder.next(); p.isPresent(); p = decoder.next()) {
          pdus.add(p.get());
        }
      }
    } catch (KmsProtocolException e) {
      return new Decoded(pdus, e);
    }
    return new Decoded(pdus, null);
  }
}
