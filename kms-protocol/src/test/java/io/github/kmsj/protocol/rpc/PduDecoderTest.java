package io.github.kmsj.protocol.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.LimitExceededException;
import io.github.kmsj.protocol.MalformedPduException;
import io.github.kmsj.protocol.internal.LittleEndian;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class PduDecoderTest {
  private static final byte[] BIND =
      PduCodec.encode(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
  private static final byte[] FAULT =
      PduCodec.encode(HostAssociation.fault(7, 0, NcaStatus.UNK_IF));

  private static byte[] header(int fragLength) {
    byte[] b = new byte[16];
    b[0] = 5;
    b[4] = 0x10;
    LittleEndian.putShort(b, 8, fragLength);
    return b;
  }

  @Test
  void next_fragLengthAboveLimit_isRejectedAfterTenBytes() {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    byte[] header = header(DecodeLimits.DEFAULT.maxPduSize() + 1);
    decoder.feed(header, 0, 9);
    assertEquals(Optional.empty(), decoder.next(), "9 bytes do not hold frag_length yet");
    decoder.feed(header, 9, 1);
    LimitExceededException e = assertThrows(LimitExceededException.class, decoder::next);
    assertEquals(DecodeLimits.DEFAULT.maxPduSize() + 1, e.actual());
    assertEquals(DecodeLimits.DEFAULT.maxPduSize(), e.allowed());
    assertThrows(KmsProtocolException.class, decoder::next, "the stream stays failed");
  }

  @Test
  void next_fragLengthAtLimit_waitsForTheBody() {
    PduDecoder decoder = new PduDecoder(new DecodeLimits(300, 4, 8, 8192));
    decoder.feed(header(300));
    assertEquals(Optional.empty(), decoder.next());
    assertEquals(16, decoder.buffered());
  }

  @Test
  void next_fragLengthBelowHeaderSize_isRejected() {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    decoder.feed(header(15));
    MalformedPduException e = assertThrows(MalformedPduException.class, decoder::next);
    assertEquals("frag_length", e.field());
    assertEquals(8, e.offset());
  }

  @Test
  void next_notVersion5_isRejectedAtTheFirstByte() {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    decoder.feed(new byte[] {4});
    assertEquals("rpc_vers", assertThrows(MalformedPduException.class, decoder::next).field());
  }

  @Test
  void next_partialPdu_returnsEmptyAndConsumesNothing() {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    decoder.feed(BIND, 0, 50);
    assertEquals(Optional.empty(), decoder.next());
    assertEquals(Optional.empty(), decoder.next());
    assertEquals(50, decoder.buffered());
    decoder.feed(ByteBuffer.wrap(BIND, 50, BIND.length - 50));
    assertEquals(Optional.of(PduCodec.decode(BIND, DecodeLimits.DEFAULT)), decoder.next());
    assertEquals(0, decoder.buffered());
    assertEquals(Optional.empty(), decoder.next());
  }

  @Test
  void next_severalPdusInOneFeed_returnsThemInOrder() {
    byte[] stream = new byte[BIND.length + FAULT.length + BIND.length + 5];
    System.arraycopy(BIND, 0, stream, 0, BIND.length);
    System.arraycopy(FAULT, 0, stream, BIND.length, FAULT.length);
    System.arraycopy(BIND, 0, stream, BIND.length + FAULT.length, BIND.length);
    System.arraycopy(BIND, 0, stream, 2 * BIND.length + FAULT.length, 5);
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    decoder.feed(stream);
    assertEquals(PduCodec.decode(BIND, DecodeLimits.DEFAULT), decoder.next().orElseThrow());
    assertEquals(PduCodec.decode(FAULT, DecodeLimits.DEFAULT), decoder.next().orElseThrow());
    assertEquals(PduCodec.decode(BIND, DecodeLimits.DEFAULT), decoder.next().orElseThrow());
    assertEquals(Optional.empty(), decoder.next());
    assertEquals(5, decoder.buffered());
  }

  @Test
  void feed_manyPdusOverTime_keepsTheBufferBounded() {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    for (int i = 0; i < 1000; i++) {
      decoder.feed(Arrays.copyOf(FAULT, FAULT.length));
      assertEquals(NcaStatus.UNK_IF, ((FaultPdu) decoder.next().orElseThrow()).status());
    }
    assertEquals(0, decoder.buffered());
  }

  @Test
  void wholePdusReturned_aSmallBufferIsKeptForTheNext_aBigOneDropped() {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    assertEquals(0, decoder.capacity(), "a quiet connection holds no buffer");
    decoder.feed(BIND);
    assertTrue(decoder.next().isPresent());
    int kept = decoder.capacity();
    assertTrue(kept > 0 && kept <= PduDecoder.RETAINED_BUFFER, "kept " + kept);
    decoder.feed(BIND);
    assertTrue(decoder.next().isPresent());
    assertEquals(kept, decoder.capacity(), "the next PDU reuses the buffer");

    byte[] many = new byte[BIND.length * 20]; // one read holding 20 binds: a big buffer
    for (int i = 0; i < 20; i++) {
      System.arraycopy(BIND, 0, many, i * BIND.length, BIND.length);
    }
    decoder.feed(many);
    for (int i = 0; i < 20; i++) {
      assertTrue(decoder.next().isPresent());
    }
    assertEquals(0, decoder.capacity(), "a buffer above the retained size is dropped");
  }
}
