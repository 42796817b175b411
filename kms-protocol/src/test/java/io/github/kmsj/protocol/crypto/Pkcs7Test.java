package io.github.kmsj.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** PKCS#7 padding: round trips, validation of every pad value, and no exception on noise. */
final class Pkcs7Test {

  @Property
  void unpaddedLength_ofPaddedData_returnsOriginalLength(
      @ForAll @Size(max = 100) byte[] data, @ForAll @IntRange(max = 5) int off) {
    byte[] buf = new byte[off + Pkcs7.paddedLength(data.length)];
    System.arraycopy(data, 0, buf, off, data.length);
    int padded = Pkcs7.pad(buf, off, data.length);

    assertEquals(buf.length - off, padded);
    assertEquals(0, padded % 16);
    assertTrue(padded - data.length >= 1 && padded - data.length <= 16);
    assertEquals(data.length, Pkcs7.unpaddedLength(buf, off, padded));
    assertArrayEquals(data, Arrays.copyOfRange(buf, off, off + data.length));
  }

  @Property
  void unpaddedLength_randomBytes_neverThrowsAndStaysInRange(@ForAll("noise") byte[] bytes) {
    int n = Pkcs7.unpaddedLength(bytes, 0, bytes.length);
    assertTrue(n == -1 || (n >= bytes.length - 16 && n < bytes.length), "result " + n);
  }

  @Property
  void unpaddedLength_nearlyValidPadding_agreesWithSimpleCheck(@ForAll("nearlyPadded") byte[] buf) {
    assertEquals(simpleUnpaddedLength(buf), Pkcs7.unpaddedLength(buf, 0, buf.length));
  }

  @Test
  void paddedLength_blockBoundaries_addOneToSixteenBytes() {
    assertEquals(16, Pkcs7.paddedLength(0));
    assertEquals(16, Pkcs7.paddedLength(15));
    assertEquals(32, Pkcs7.paddedLength(16));
    assertEquals(240, Pkcs7.paddedLength(236));
    assertEquals(240, Pkcs7.paddedLength(232));
    assertThrows(IllegalArgumentException.class, () -> Pkcs7.paddedLength(-1));
  }

  @Test
  void pad_alignedData_appendsFullBlockOfSixteens() {
    byte[] buf = new byte[32];
    assertEquals(32, Pkcs7.pad(buf, 0, 16));
    byte[] sixteens = new byte[16];
    Arrays.fill(sixteens, (byte) 16);
    assertArrayEquals(sixteens, Arrays.copyOfRange(buf, 16, 32));
  }

  @Test
  void pad_bufferTooShort_throwsIndexOutOfBounds() {
    assertThrows(IndexOutOfBoundsException.class, () -> Pkcs7.pad(new byte[16], 0, 16));
  }

  @Test
  void unpaddedLength_invalidPadValues_returnMinusOne() {
    byte[] block = new byte[16];
    assertEquals(-1, Pkcs7.unpaddedLength(block, 0, 16)); // pad byte 0
    block[15] = 17;
    assertEquals(-1, Pkcs7.unpaddedLength(block, 0, 16));
    block[15] = (byte) 0xff;
    assertEquals(-1, Pkcs7.unpaddedLength(block, 0, 16));
    block[15] = 2;
    assertEquals(-1, Pkcs7.unpaddedLength(block, 0, 16)); // byte 14 is 0, not 2
    block[14] = 2;
    assertEquals(14, Pkcs7.unpaddedLength(block, 0, 16));
  }

  @Test
  void unpaddedLength_lengthNotWholeBlocks_returnsMinusOne() {
    byte[] buf = new byte[32];
    Arrays.fill(buf, (byte) 1);
    assertEquals(-1, Pkcs7.unpaddedLength(buf, 0, 0));
    assertEquals(-1, Pkcs7.unpaddedLength(buf, 0, 15));
    assertEquals(-1, Pkcs7.unpaddedLength(buf, 0, 17));
    assertEquals(31, Pkcs7.unpaddedLength(buf, 0, 32));
  }

  @Provide
  Arbitrary<byte[]> noise() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
  }

  /** Whole blocks whose tail is a valid pad of a random length, then maybe one byte corrupted. */
  @Provide
  Arbitrary<byte[]> nearlyPadded() {
    Arbitrary<byte[]> data =
        Arbitraries.integers()
            .between(1, 4)
            .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(16 * n));
    return Combinators.combine(
            data,
            Arbitraries.integers().between(0, 18),
            Arbitraries.integers().between(-1, 17),
            Arbitraries.bytes())
        .as(
            (buf, k, corruptAt, value) -> {
              for (int i = 1; i <= Math.min(k, 16); i++) {
                buf[buf.length - i] = k.byteValue();
              }
              if (corruptAt >= 0 && corruptAt < 16) {
                buf[buf.length - 1 - corruptAt] = value;
              }
              return buf;
            });
  }

  private static int simpleUnpaddedLength(byte[] buf) {
    int k = buf[buf.length - 1] & 0xff;
    if (k < 1 || k > 16) {
      return -1;
    }
    for (int i = 1; i <= k; i++) {
      if ((buf[buf.length - i] & 0xff) != k) {
        return -1;
      }
    }
    return buf.length - k;
  }
}
