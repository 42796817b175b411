package io.github.kmsj.protocol.crypto;

/** PKCS#7 padding to 16-byte blocks (RFC 5652 §6.3). */
public final class Pkcs7 {
  private Pkcs7() {}

  /** The padded length of {@code len} bytes: always 1-16 bytes more, a multiple of 16. */
  public static int paddedLength(int len) {
    throw new UnsupportedOperationException();
  }

  /** Writes the padding after {@code len} bytes at {@code off}; returns the padded length. */
  public static int pad(byte[] buf, int off, int len) {
    throw new UnsupportedOperationException();
  }

  /** The unpadded length of {@code len} padded bytes at {@code off}, or -1 when the padding is invalid. Runs in time independent of the pad value. */
  public static int unpaddedLength(byte[] buf, int off, int len) {
    throw new UnsupportedOperationException();
  }
}
