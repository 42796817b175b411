package io.github.kmsj.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RijndaelEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** The AES core: round trips, agreement with Bouncy Castle, in-place use and argument checks. */
final class KmsCipherTest {

  @Property
  void v5Block_encryptThenDecrypt_returnsInput(@ForAll @Size(16) byte[] block) {
    assertBlockRoundTrip(KmsCipher.V5, block);
  }

  @Property
  void v6Block_encryptThenDecrypt_returnsInput(@ForAll @Size(16) byte[] block) {
    assertBlockRoundTrip(KmsCipher.V6, block);
  }

  @Property
  void v6RandomKey_encryptThenDecrypt_returnsInput(
      @ForAll @Size(16) byte[] key, @ForAll @Size(16) byte[] block) {
    assertBlockRoundTrip(KmsCipher.v6(key), block);
  }

  @Property
  void aes128RandomKey_encryptAndDecrypt_equalBouncyCastleAesEngine(
      @ForAll @Size(16) byte[] key, @ForAll @Size(16) byte[] block) {
    KmsCipher cipher = KmsCipher.aes128(key);
    byte[] ours = new byte[16];
    byte[] theirs = new byte[16];

    cipher.encryptBlock(block, 0, ours, 0);
    bc(AESEngine.newInstance(), true, key).processBlock(block, 0, theirs, 0);
    assertArrayEquals(theirs, ours);

    cipher.decryptBlock(block, 0, ours, 0);
    bc(AESEngine.newInstance(), false, key).processBlock(block, 0, theirs, 0);
    assertArrayEquals(theirs, ours);
  }

  @Property
  void v6_anyKey_encryptsDifferentlyFromAes128(
      @ForAll @Size(16) byte[] key, @ForAll @Size(16) byte[] block) {
    byte[] aes = new byte[16];
    byte[] v6 = new byte[16];
    KmsCipher.aes128(key).encryptBlock(block, 0, aes, 0);
    KmsCipher.v6(key).encryptBlock(block, 0, v6, 0);
    assertFalse(Arrays.equals(aes, v6));
  }

  @Property
  void v5Cbc_encryptThenDecrypt_returnsInput(
      @ForAll @Size(16) byte[] iv, @ForAll("blocks") byte[] data) {
    assertCbcRoundTrip(KmsCipher.V5, iv, data);
  }

  @Property
  void v6Cbc_encryptThenDecrypt_returnsInput(
      @ForAll @Size(16) byte[] iv, @ForAll("blocks") byte[] data) {
    assertCbcRoundTrip(KmsCipher.V6, iv, data);
  }

  @Property
  void aes128Cbc_randomKey_equalsBouncyCastleCbc(
      @ForAll @Size(16) byte[] key, @ForAll @Size(16) byte[] iv, @ForAll("blocks") byte[] data) {
    byte[] ours = data.clone();
    KmsCipher.aes128(key).cbcEncrypt(iv, 0, ours, 0, ours.length);

    BlockCipher cbc = CBCBlockCipher.newInstance(AESEngine.newInstance());
    cbc.init(true, new ParametersWithIV(new KeyParameter(key), iv));
    byte[] theirs = new byte[data.length];
    for (int i = 0; i < data.length; i += 16) {
      cbc.processBlock(data, i, theirs, i);
    }
    assertArrayEquals(theirs, ours);
  }

  @Property
  void v6Cbc_atOffsets_equalsBlockByBlockChaining(
      @ForAll @Size(16) byte[] iv,
      @ForAll("blocks") byte[] data,
      @ForAll @IntRange(max = 7) int off) {
    byte[] buf = new byte[off + data.length + 3];
    System.arraycopy(data, 0, buf, off, data.length);
    byte[] ivBuf = new byte[off + 16];
    System.arraycopy(iv, 0, ivBuf, off, 16);
    KmsCipher.V6.cbcEncrypt(ivBuf, off, buf, off, data.length);

    byte[] expected = new byte[data.length];
    byte[] prev = iv.clone();
    for (int i = 0; i < data.length; i += 16) {
      byte[] x = Arrays.copyOfRange(data, i, i + 16);
      for (int j = 0; j < 16; j++) {
        x[j] ^= prev[j];
      }
      KmsCipher.V6.encryptBlock(x, 0, expected, i);
      prev = Arrays.copyOfRange(expected, i, i + 16);
    }
    assertArrayEquals(expected, Arrays.copyOfRange(buf, off, off + data.length));
    assertArrayEquals(new byte[off], Arrays.copyOfRange(buf, 0, off));
    assertArrayEquals(new byte[3], Arrays.copyOfRange(buf, off + data.length, buf.length));
  }

  @Property
  void rijndael160Schedule_throughOurCore_equalsBouncyCastleRijndael(
      @ForAll @Size(20) byte[] key, @ForAll @Size(16) byte[] block) {
    KmsCipher cipher = KmsCipher.ofExpandedKey(RijndaelKeySchedule.expand(key));
    byte[] ours = new byte[16];
    byte[] theirs = new byte[16];

    cipher.encryptBlock(block, 0, ours, 0);
    bc(new RijndaelEngine(128), true, key).processBlock(block, 0, theirs, 0);
    assertArrayEquals(theirs, ours);

    cipher.decryptBlock(block, 0, ours, 0);
    bc(new RijndaelEngine(128), false, key).processBlock(block, 0, theirs, 0);
    assertArrayEquals(theirs, ours);
  }

  @Test
  void encryptBlock_inPlaceAtOffset_equalsSeparateOutput() {
    byte[] block = Hex.decode("000102030405060708090a0b0c0d0e0f");
    byte[] expected = new byte[16];
    KmsCipher.V6.encryptBlock(block, 0, expected, 0);

    byte[] buf = new byte[21];
    System.arraycopy(block, 0, buf, 5, 16);
    KmsCipher.V6.encryptBlock(buf, 5, buf, 5);
    assertArrayEquals(expected, Arrays.copyOfRange(buf, 5, 21));

    KmsCipher.V6.decryptBlock(buf, 5, buf, 5);
    assertArrayEquals(block, Arrays.copyOfRange(buf, 5, 21));
  }

  @Test
  void v6_expandedKey_differsFromAesOnlyInBytes64And96And128() {
    byte[] key = Hex.decode("a94a4195e201432d9bcb460405d84a21");
    byte[] aes = KmsCipher.aes128(key).expandedKey();
    byte[] v6 = KmsCipher.v6(key).expandedKey();
    assertEquals(176, v6.length);
    for (int i = 0; i < 176; i++) {
      int expectedDiff = i == 64 ? 0x73 : i == 96 ? 0x09 : i == 128 ? 0xE4 : 0;
      assertEquals(expectedDiff, (aes[i] ^ v6[i]) & 0xff, "byte " + i);
    }
    assertEquals(
        "0530e12e111e2b4d3f6a5901edca6094", Hex.toHexString(Arrays.copyOfRange(v6, 64, 80)));
  }

  @Test
  void expandedKey_mutatedCopy_doesNotChangeCipher() {
    byte[] zero = new byte[16];
    byte[] before = new byte[16];
    KmsCipher.V5.encryptBlock(zero, 0, before, 0);
    Arrays.fill(KmsCipher.V5.expandedKey(), (byte) 0);
    byte[] after = new byte[16];
    KmsCipher.V5.encryptBlock(zero, 0, after, 0);
    assertArrayEquals(before, after);
    assertEquals("ec7c7e75b1923978eac4b2d2260235d5", Hex.toHexString(after));
  }

  @Test
  void factories_keyNot16Bytes_throwIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> KmsCipher.aes128(new byte[15]));
    assertThrows(IllegalArgumentException.class, () -> KmsCipher.v6(new byte[20]));
  }

  @Test
  void cbc_lengthNotMultipleOf16_throwsIllegalArgument() {
    byte[] iv = new byte[16];
    byte[] buf = new byte[32];
    assertThrows(IllegalArgumentException.class, () -> KmsCipher.V6.cbcEncrypt(iv, 0, buf, 0, 17));
    assertThrows(IllegalArgumentException.class, () -> KmsCipher.V6.cbcDecrypt(iv, 0, buf, 0, 15));
  }

  @Test
  void cbc_rangeOutsideBuffer_throwsBeforeWriting() {
    byte[] iv = new byte[16];
    byte[] buf = new byte[32];
    assertThrows(
        IndexOutOfBoundsException.class, () -> KmsCipher.V6.cbcEncrypt(iv, 0, buf, 16, 32));
    assertThrows(IndexOutOfBoundsException.class, () -> KmsCipher.V6.cbcDecrypt(iv, 1, buf, 0, 32));
    assertArrayEquals(new byte[32], buf);
  }

  @Test
  void blockOps_rangeOutsideBuffer_throwIndexOutOfBounds() {
    byte[] small = new byte[15];
    byte[] block = new byte[16];
    assertThrows(
        IndexOutOfBoundsException.class, () -> KmsCipher.V5.encryptBlock(small, 0, block, 0));
    assertThrows(
        IndexOutOfBoundsException.class, () -> KmsCipher.V5.decryptBlock(block, 0, small, 0));
    assertThrows(
        IndexOutOfBoundsException.class, () -> KmsCipher.V5.encryptBlock(block, 1, block, 0));
  }

  @Provide
  Arbitrary<byte[]> blocks() {
    return Arbitraries.integers()
        .between(0, 16)
        .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(16 * n));
  }

  private static void assertBlockRoundTrip(KmsCipher cipher, byte[] block) {
    byte[] enc = new byte[16];
    cipher.encryptBlock(block, 0, enc, 0);
    byte[] dec = new byte[16];
    cipher.decryptBlock(enc, 0, dec, 0);
    assertArrayEquals(block, dec);
  }

  private static void assertCbcRoundTrip(KmsCipher cipher, byte[] iv, byte[] data) {
    byte[] buf = data.clone();
    cipher.cbcEncrypt(iv, 0, buf, 0, buf.length);
    if (data.length > 0) {
      assertFalse(Arrays.equals(data, buf));
    }
    cipher.cbcDecrypt(iv, 0, buf, 0, buf.length);
    assertArrayEquals(data, buf);
  }

  private static BlockCipher bc(BlockCipher engine, boolean forEncryption, byte[] key) {
    engine.init(forEncryption, new KeyParameter(key));
    return engine;
  }
}
