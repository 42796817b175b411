package io.github.kmsj.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.RijndaelEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** The V4 CBC-MAC: padding always added, bit sensitivity, offsets, and concurrent use. */
final class V4HashTest {

  @Property
  void compute_flippedBit_changesHash(
      @ForAll @Size(min = 1, max = 300) byte[] m, @ForAll @IntRange(max = 2399) int bit) {
    Assume.that(bit < 8 * m.length);
    byte[] flipped = m.clone();
    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
    assertFalse(
        Arrays.equals(V4Hash.compute(m, 0, m.length), V4Hash.compute(flipped, 0, flipped.length)));
  }

  @Property
  void compute_anyMessage_equalsCbcMacOverPaddedBlocks(@ForAll @Size(max = 100) byte[] m) {
    assertArrayEquals(referenceHash(m), V4Hash.compute(m, 0, m.length));
  }

  @Property
  void encryptBlock_anyBlock_equalsBouncyCastleRijndael(@ForAll @Size(16) byte[] block) {
    byte[] theirs = new byte[16];
    bouncyCastleV4().processBlock(block, 0, theirs, 0);
    assertArrayEquals(theirs, V4Hash.encryptBlock(block));
  }

  @Property
  void compute_atOffset_equalsComputeOnCopy(
      @ForAll @Size(max = 80) byte[] m,
      @ForAll @IntRange(max = 9) int before,
      @ForAll @IntRange(max = 9) int after) {
    byte[] buf = new byte[before + m.length + after];
    Arrays.fill(buf, (byte) 0x5a);
    System.arraycopy(m, 0, buf, before, m.length);
    assertArrayEquals(V4Hash.compute(m, 0, m.length), V4Hash.compute(buf, before, m.length));
  }

  @Test
  void compute_messageEndingInPaddingByte_differsFromShorterMessage() {
    // 15 bytes pad to "M ‖ 80"; the 16-byte "M ‖ 80" gets a whole extra padding block.
    byte[] m16 = Hex.decode("000102030405060708090a0b0c0d0e80");
    assertFalse(Arrays.equals(V4Hash.compute(m16, 0, 15), V4Hash.compute(m16, 0, 16)));
    byte[] once = V4Hash.encryptBlock(m16);
    assertArrayEquals(once, V4Hash.compute(m16, 0, 15));
  }

  @Test
  void expandedKey_firstAndLastRoundKeys_matchProtocolTable() {
    byte[] ek = V4Hash.expandedKey();
    assertEquals(192, ek.length);
    assertEquals(
        "053d8307f9e5f088eb5ea6686cf037c7", Hex.toHexString(Arrays.copyOfRange(ek, 0, 16)));
    assertEquals(
        "e4efd2d6db88756e226d85e6c933238e", Hex.toHexString(Arrays.copyOfRange(ek, 16, 32)));
    assertEquals(
        "4a7d08d621ed8fd1454df13ba968579d", Hex.toHexString(Arrays.copyOfRange(ek, 176, 192)));
  }

  @Test
  void expandedKey_throughOurCore_givesKnownAnswer() {
    // The same schedule run by the KmsCipher core must agree with Bouncy Castle's RijndaelEngine.
    KmsCipher core =
        KmsCipher.ofExpandedKey(
            RijndaelKeySchedule.expand(Hex.decode("053d8307f9e5f088eb5ea6686cf037c7e4efd2d6")));
    byte[] out = new byte[16];
    core.encryptBlock(new byte[16], 0, out, 0);
    assertEquals("933030f10e2e7782b80915d5778a4957", Hex.toHexString(out));
  }

  @Test
  void compute_concurrentCalls_agree() {
    byte[] m = new byte[236];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) i;
    }
    String expected = Hex.toHexString(V4Hash.compute(m, 0, m.length));
    List<String> results =
        IntStream.range(0, 2000)
            .parallel()
            .mapToObj(i -> Hex.toHexString(V4Hash.compute(m, 0, m.length)))
            .distinct()
            .collect(Collectors.toList());
    assertEquals(List.of(expected), results);
  }

  @Test
  void arguments_outOfRange_throw() {
    assertThrows(IndexOutOfBoundsException.class, () -> V4Hash.compute(new byte[10], 5, 6));
    assertThrows(IllegalArgumentException.class, () -> V4Hash.encryptBlock(new byte[15]));
  }

  /** The textbook CBC-MAC over Bouncy Castle's RijndaelEngine: an oracle independent of ours. */
  private static byte[] referenceHash(byte[] m) {
    byte[] padded = Arrays.copyOf(m, (m.length / 16 + 1) * 16);
    padded[m.length] = (byte) 0x80;
    BlockCipher engine = bouncyCastleV4();
    byte[] x = new byte[16];
    for (int i = 0; i < padded.length; i += 16) {
      for (int j = 0; j < 16; j++) {
        x[j] ^= padded[i + j];
      }
      engine.processBlock(x, 0, x, 0);
    }
    return x;
  }

  private static BlockCipher bouncyCastleV4() {
    RijndaelEngine engine = new RijndaelEngine(128);
    engine.init(true, new KeyParameter(Hex.decode("053d8307f9e5f088eb5ea6686cf037c7e4efd2d6")));
    return engine;
  }
}
