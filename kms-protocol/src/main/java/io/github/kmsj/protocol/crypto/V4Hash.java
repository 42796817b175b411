package io.github.kmsj.protocol.crypto;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The KMS V4 message hash: a CBC-MAC (ISO/IEC 9797-1 algorithm 1, padding method 2) over Rijndael
 * with a 128-bit block and the fixed 160-bit V4 key (docs/PROTOCOL.md §6.3, §6.4).
 */
public final class V4Hash {
  /*
   * compute() runs the table-based KmsCipher core over our own Rijndael-160 schedule (11 rounds, §6.3):
   * it is immutable, so one instance serves every thread and a call allocates only its result. Building a
   * Bouncy Castle RijndaelEngine per call (its state lives in fields) cost about ten times the hash itself.
   * The JDK has no Rijndael with a 160-bit key, and Bouncy Castle is a test-scope oracle only: the tests
   * check this core against its RijndaelEngine (KmsCipherTest, V4HashTest) and the known answers.
   */

  private static final byte[] KEY =
      HexFormat.of().parseHex("053D8307F9E5F088EB5EA6686CF037C7E4EFD2D6");
  private static final int BLOCK = 16;
  private static final KmsCipher CORE = KmsCipher.ofExpandedKey(RijndaelKeySchedule.expand(KEY));

  private V4Hash() {}

  /** The 16-byte hash of {@code len} bytes of {@code m} from {@code off}. Thread-safe. */
  public static byte[] compute(byte[] m, int off, int len) {
    Objects.checkFromIndexSize(off, len, m.length);
    byte[] x = new byte[BLOCK];
    int end = off + len;
    for (; end - off >= BLOCK; off += BLOCK) {
      for (int i = 0; i < BLOCK; i++) {
        x[i] ^= m[off + i];
      }
      CORE.encryptBlock(x, 0, x, 0);
    }
    // The last block is the 0-15 remaining bytes, then 0x80, then zeros: always present.
    int rest = end - off;
    for (int i = 0; i < rest; i++) {
      x[i] ^= m[off + i];
    }
    x[rest] ^= (byte) 0x80;
    CORE.encryptBlock(x, 0, x, 0);
    return x;
  }

  /** Encrypts one block with the V4 Rijndael-160 cipher (for known-answer tests). */
  public static byte[] encryptBlock(byte[] block16) {
    if (block16.length != BLOCK) {
      throw new IllegalArgumentException("block must be 16 bytes: " + block16.length);
    }
    byte[] out = new byte[BLOCK];
    CORE.encryptBlock(block16, 0, out, 0);
    return out;
  }

  /** The 192-byte expanded V4 key (12 round keys). */
  public static byte[] expandedKey() {
    return RijndaelKeySchedule.toBytes(RijndaelKeySchedule.expand(KEY));
  }
}
