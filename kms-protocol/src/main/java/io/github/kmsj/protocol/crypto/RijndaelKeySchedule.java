package io.github.kmsj.protocol.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Rijndael key schedule for a 128-bit block (FIPS 197 §5.2, docs/PROTOCOL.md §6.3): AES-128 for
 * V5 and V6 (Nk = 4, 10 rounds) and the V4 Rijndael-160 (Nk = 5, 11 rounds).
 */
final class RijndaelKeySchedule {
  private static final VarHandle BE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private RijndaelKeySchedule() {}

  /**
   * The number of rounds for a key of {@code keyLength} bytes and a 128-bit block: max(Nk, 4) + 6.
   */
  static int rounds(int keyLength) {
    return Math.max(keyLength / 4, 4) + 6;
  }

  /**
   * The expanded key as 4·(rounds + 1) big-endian words, for a 16, 20, 24, 28 or 32-byte key.
   *
   * @throws IllegalArgumentException if the key has another length
   */
  static int[] expand(byte[] key) {
    int len = key.length;
    if (len < 16 || len > 32 || len % 4 != 0) {
      throw new IllegalArgumentException("Rijndael key must be 16, 20, 24, 28 or 32 bytes: " + len);
    }
    int nk = len / 4;
    int[] w = new int[4 * (rounds(len) + 1)];
    for (int i = 0; i < nk; i++) {
      w[i] = (int) BE_INT.get(key, 4 * i);
    }
    int rcon = 0x01;
    for (int i = nk; i < w.length; i++) {
      int temp = w[i - 1];
      if (i % nk == 0) {
        temp = AesTables.subWord(Integer.rotateLeft(temp, 8)) ^ rcon << 24;
        rcon = (rcon << 1 ^ ((rcon & 0x80) != 0 ? 0x1b : 0)) & 0xff;
      } else if (nk > 6 && i % nk == 4) {
        temp = AesTables.subWord(temp);
      }
      w[i] = w[i - nk] ^ temp;
    }
    return w;
  }

  /** The words of an expanded key as bytes, in wire order. */
  static byte[] toBytes(int[] words) {
    byte[] out = new byte[4 * words.length];
    for (int i = 0; i < words.length; i++) {
      BE_INT.set(out, 4 * i, words[i]);
    }
    return out;
  }
}
