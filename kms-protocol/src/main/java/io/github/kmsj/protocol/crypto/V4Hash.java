package io.github.kmsj.protocol.crypto;

/**
 * The KMS V4 message hash: a CBC-MAC (ISO/IEC 9797-1 algorithm 1, padding method 2) over Rijndael with a
 * 128-bit block and the fixed 160-bit V4 key (PROTOCOL.md §6.3, §6.4).
 */
public final class V4Hash {
  private V4Hash() {}

  /** The 16-byte hash of {@code len} bytes of {@code m} from {@code off}. Thread-safe. */
  public static byte[] compute(byte[] m, int off, int len) {
    throw new UnsupportedOperationException();
  }

  /** Encrypts one block with the V4 Rijndael-160 cipher (for known-answer tests). */
  public static byte[] encryptBlock(byte[] block16) {
    throw new UnsupportedOperationException();
  }

  /** The 192-byte expanded V4 key (12 round keys). */
  public static byte[] expandedKey() {
    throw new UnsupportedOperationException();
  }
}
