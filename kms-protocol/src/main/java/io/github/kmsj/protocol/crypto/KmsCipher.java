package io.github.kmsj.protocol.crypto;

import static io.github.kmsj.protocol.crypto.AesTables.INV_SBOX;
import static io.github.kmsj.protocol.crypto.AesTables.SBOX;
import static io.github.kmsj.protocol.crypto.AesTables.TD0;
import static io.github.kmsj.protocol.crypto.AesTables.TD1;
import static io.github.kmsj.protocol.crypto.AesTables.TD2;
import static io.github.kmsj.protocol.crypto.AesTables.TD3;
import static io.github.kmsj.protocol.crypto.AesTables.TE0;
import static io.github.kmsj.protocol.crypto.AesTables.TE1;
import static io.github.kmsj.protocol.crypto.AesTables.TE2;
import static io.github.kmsj.protocol.crypto.AesTables.TE3;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An AES-128 block cipher over an explicit expanded key: standard AES for KMS V5, and the V6 cipher
 * whose round keys 4, 6 and 8 are changed after expansion (docs/PROTOCOL.md §6.2).
 *
 * <p>Immutable and thread-safe. Table-based: it is on the request hot path.
 */
public final class KmsCipher {
  /** The V5 cipher: standard AES-128 with key {@code CD7E796F2AB25DCB55FFC8EF8364C470}. */
  public static final KmsCipher V5 =
      aes128(HexFormat.of().parseHex("CD7E796F2AB25DCB55FFC8EF8364C470"));

  /**
   * The V6 cipher: AES-128 with key {@code A94A4195E201432D9BCB460405D84A21} and modified round
   * keys.
   */
  public static final KmsCipher V6 =
      v6(HexFormat.of().parseHex("A94A4195E201432D9BCB460405D84A21"));

  /*
   * Implementation notes. The state is four big-endian column words (byte i of a block is row i mod 4,
   * column i div 4, so a column is four consecutive bytes). Encryption is the T-table form of FIPS 197 §5.1;
   * decryption is the equivalent inverse cipher (§5.3.5), whose round keys are the encryption round keys in
   * reverse order with InvMixColumns applied to rounds 1..Nr-1. Those keys are derived from the round keys
   * as used, so for V6 they include the changed bytes. The cores work on ints in locals and write straight
   * to the output array: nothing is allocated per block, and reading a whole block before writing makes
   * in-place operation safe.
   */

  private static final VarHandle BE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final int BLOCK = 16;

  private final int rounds;

  /** Encryption round keys, 4·(rounds + 1) words. */
  private final int[] ek;

  /** Decryption round keys for the equivalent inverse cipher, in the order they are applied. */
  private final int[] dk;

  private KmsCipher(int[] ek) {
    this.rounds = ek.length / 4 - 1;
    this.ek = ek;
    this.dk = new int[ek.length];
    for (int j = 0; j < 4; j++) {
      dk[j] = ek[4 * rounds + j];
      dk[4 * rounds + j] = ek[j];
    }
    for (int r = 1; r < rounds; r++) {
      for (int j = 0; j < 4; j++) {
        dk[4 * r + j] = AesTables.invMixColumn(ek[4 * (rounds - r) + j]);
      }
    }
  }

  /** Standard AES-128 (FIPS 197) with a 16-byte key. */
  public static KmsCipher aes128(byte[] key) {
    return new KmsCipher(RijndaelKeySchedule.expand(requireKey16(key)));
  }

  /**
   * AES-128 with a 16-byte key whose expanded key then gets the V6 changes (RK[4][0]^=0x73,
   * RK[6][0]^=0x09, RK[8][0]^=0xE4).
   */
  public static KmsCipher v6(byte[] key) {
    int[] ek = RijndaelKeySchedule.expand(requireKey16(key));
    // Expanded-key bytes 64, 96 and 128: the row-0 byte (most significant) of words 16, 24 and 32.
    ek[16] ^= 0x73 << 24;
    ek[24] ^= 0x09 << 24;
    ek[32] ^= 0xE4 << 24;
    return new KmsCipher(ek);
  }

  /**
   * A Rijndael cipher with a 128-bit block over an already expanded key of 4·(Nr + 1) big-endian
   * words; the words are copied.
   */
  static KmsCipher ofExpandedKey(int[] words) {
    if (words.length < 12 || words.length % 4 != 0) {
      throw new IllegalArgumentException(
          "expanded key must be 4·(rounds + 1) words: " + words.length);
    }
    return new KmsCipher(words.clone());
  }

  private static byte[] requireKey16(byte[] key) {
    if (key.length != 16) {
      throw new IllegalArgumentException("AES-128 key must be 16 bytes: " + key.length);
    }
    return key;
  }

  /** The 176-byte expanded key (11 round keys), as used for encryption. */
  public byte[] expandedKey() {
    return RijndaelKeySchedule.toBytes(ek);
  }

  /** Encrypts one 16-byte block; {@code in} and {@code out} may be the same array and offset. */
  public void encryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
    Objects.checkFromIndexSize(outOff, BLOCK, out.length);
    encrypt(
        word(in, inOff),
        word(in, inOff + 4),
        word(in, inOff + 8),
        word(in, inOff + 12),
        out,
        outOff);
  }

  /** Decrypts one 16-byte block; {@code in} and {@code out} may be the same array and offset. */
  public void decryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
    Objects.checkFromIndexSize(outOff, BLOCK, out.length);
    decrypt(
        word(in, inOff),
        word(in, inOff + 4),
        word(in, inOff + 8),
        word(in, inOff + 12),
        0,
        0,
        0,
        0,
        out,
        outOff);
  }

  /**
   * CBC-encrypts {@code len} bytes (a multiple of 16) of {@code buf} at {@code off} in place, with
   * the IV at {@code ivOff} of {@code iv}.
   */
  public void cbcEncrypt(byte[] iv, int ivOff, byte[] buf, int off, int len) {
    checkCbc(iv, ivOff, buf, off, len);
    int c0 = word(iv, ivOff);
    int c1 = word(iv, ivOff + 4);
    int c2 = word(iv, ivOff + 8);
    int c3 = word(iv, ivOff + 12);
    for (int end = off + len; off < end; off += BLOCK) {
      encrypt(
          word(buf, off) ^ c0,
          word(buf, off + 4) ^ c1,
          word(buf, off + 8) ^ c2,
          word(buf, off + 12) ^ c3,
          buf,
          off);
      c0 = word(buf, off);
      c1 = word(buf, off + 4);
      c2 = word(buf, off + 8);
      c3 = word(buf, off + 12);
    }
  }

  /**
   * CBC-decrypts {@code len} bytes (a multiple of 16) of {@code buf} at {@code off} in place, with
   * the IV at {@code ivOff} of {@code iv}.
   */
  public void cbcDecrypt(byte[] iv, int ivOff, byte[] buf, int off, int len) {
    checkCbc(iv, ivOff, buf, off, len);
    int p0 = word(iv, ivOff);
    int p1 = word(iv, ivOff + 4);
    int p2 = word(iv, ivOff + 8);
    int p3 = word(iv, ivOff + 12);
    for (int end = off + len; off < end; off += BLOCK) {
      int c0 = word(buf, off);
      int c1 = word(buf, off + 4);
      int c2 = word(buf, off + 8);
      int c3 = word(buf, off + 12);
      decrypt(c0, c1, c2, c3, p0, p1, p2, p3, buf, off);
      p0 = c0;
      p1 = c1;
      p2 = c2;
      p3 = c3;
    }
  }

  private static void checkCbc(byte[] iv, int ivOff, byte[] buf, int off, int len) {
    if (len % BLOCK != 0) {
      throw new IllegalArgumentException("CBC length must be a multiple of 16: " + len);
    }
    Objects.checkFromIndexSize(ivOff, BLOCK, iv.length);
    Objects.checkFromIndexSize(off, len, buf.length);
  }

  private static int word(byte[] b, int off) {
    return (int) BE_INT.get(b, off);
  }

  /**
   * Encrypts the state words (before the first AddRoundKey) and writes the block to {@code out}.
   */
  private void encrypt(int s0, int s1, int s2, int s3, byte[] out, int outOff) {
    final int[] rk = ek;
    s0 ^= rk[0];
    s1 ^= rk[1];
    s2 ^= rk[2];
    s3 ^= rk[3];
    int k = 4;
    for (int r = 1; r < rounds; r++, k += 4) {
      int t0 =
          TE0[s0 >>> 24] ^ TE1[s1 >>> 16 & 0xff] ^ TE2[s2 >>> 8 & 0xff] ^ TE3[s3 & 0xff] ^ rk[k];
      int t1 =
          TE0[s1 >>> 24]
              ^ TE1[s2 >>> 16 & 0xff]
              ^ TE2[s3 >>> 8 & 0xff]
              ^ TE3[s0 & 0xff]
              ^ rk[k + 1];
      int t2 =
          TE0[s2 >>> 24]
              ^ TE1[s3 >>> 16 & 0xff]
              ^ TE2[s0 >>> 8 & 0xff]
              ^ TE3[s1 & 0xff]
              ^ rk[k + 2];
      int t3 =
          TE0[s3 >>> 24]
              ^ TE1[s0 >>> 16 & 0xff]
              ^ TE2[s1 >>> 8 & 0xff]
              ^ TE3[s2 & 0xff]
              ^ rk[k + 3];
      s0 = t0;
      s1 = t1;
      s2 = t2;
      s3 = t3;
    }
    BE_INT.set(out, outOff, lastRound(SBOX, s0, s1, s2, s3) ^ rk[k]);
    BE_INT.set(out, outOff + 4, lastRound(SBOX, s1, s2, s3, s0) ^ rk[k + 1]);
    BE_INT.set(out, outOff + 8, lastRound(SBOX, s2, s3, s0, s1) ^ rk[k + 2]);
    BE_INT.set(out, outOff + 12, lastRound(SBOX, s3, s0, s1, s2) ^ rk[k + 3]);
  }

  /**
   * Decrypts the state words, XORs {@code m0..m3} into the result (the CBC chaining value) and
   * writes it.
   */
  private void decrypt(
      int s0, int s1, int s2, int s3, int m0, int m1, int m2, int m3, byte[] out, int outOff) {
    final int[] rk = dk;
    s0 ^= rk[0];
    s1 ^= rk[1];
    s2 ^= rk[2];
    s3 ^= rk[3];
    int k = 4;
    for (int r = 1; r < rounds; r++, k += 4) {
      int t0 =
          TD0[s0 >>> 24] ^ TD1[s3 >>> 16 & 0xff] ^ TD2[s2 >>> 8 & 0xff] ^ TD3[s1 & 0xff] ^ rk[k];
      int t1 =
          TD0[s1 >>> 24]
              ^ TD1[s0 >>> 16 & 0xff]
              ^ TD2[s3 >>> 8 & 0xff]
              ^ TD3[s2 & 0xff]
              ^ rk[k + 1];
      int t2 =
          TD0[s2 >>> 24]
              ^ TD1[s1 >>> 16 & 0xff]
              ^ TD2[s0 >>> 8 & 0xff]
              ^ TD3[s3 & 0xff]
              ^ rk[k + 2];
      int t3 =
          TD0[s3 >>> 24]
              ^ TD1[s2 >>> 16 & 0xff]
              ^ TD2[s1 >>> 8 & 0xff]
              ^ TD3[s0 & 0xff]
              ^ rk[k + 3];
      s0 = t0;
      s1 = t1;
      s2 = t2;
      s3 = t3;
    }
    BE_INT.set(out, outOff, lastRound(INV_SBOX, s0, s3, s2, s1) ^ rk[k] ^ m0);
    BE_INT.set(out, outOff + 4, lastRound(INV_SBOX, s1, s0, s3, s2) ^ rk[k + 1] ^ m1);
    BE_INT.set(out, outOff + 8, lastRound(INV_SBOX, s2, s1, s0, s3) ^ rk[k + 2] ^ m2);
    BE_INT.set(out, outOff + 12, lastRound(INV_SBOX, s3, s2, s1, s0) ^ rk[k + 3] ^ m3);
  }

  /**
   * One column of the last round: the S-box of row r taken from word {@code ar}, without
   * MixColumns.
   */
  private static int lastRound(int[] box, int a0, int a1, int a2, int a3) {
    return box[a0 >>> 24] << 24
        | box[a1 >>> 16 & 0xff] << 16
        | box[a2 >>> 8 & 0xff] << 8
        | box[a3 & 0xff];
  }
}
