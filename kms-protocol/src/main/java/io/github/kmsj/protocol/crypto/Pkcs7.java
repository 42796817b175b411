package io.github.kmsj.protocol.crypto;

import java.util.Objects;

/** PKCS#7 padding to 16-byte blocks (RFC 5652 §6.3). */
public final class Pkcs7 {
  private static final int BLOCK = 16;

  private Pkcs7() {}

  /** The padded length of {@code len} bytes: always 1-16 bytes more, a multiple of 16. */
  public static int paddedLength(int len) {
    if (len < 0 || len > Integer.MAX_VALUE - BLOCK) {
      throw new IllegalArgumentException(
          "length to pad must be 0-" + (Integer.MAX_VALUE - BLOCK) + ": " + len);
    }
    return (len & -BLOCK) + BLOCK;
  }

  /** Writes the padding after {@code len} bytes at {@code off}; returns the padded length. */
  public static int pad(byte[] buf, int off, int len) {
    int padded = paddedLength(len);
    Objects.checkFromIndexSize(off, padded, buf.length);
    int k = padded - len;
    for (int i = off + len; i < off + padded; i++) {
      buf[i] = (byte) k;
    }
    return padded;
  }

  /**
   * The unpadded length of {@code len} padded bytes at {@code off}, or -1 when the padding is
   * invalid. Runs in time independent of the pad value.
   */
  public static int unpaddedLength(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len < BLOCK || len % BLOCK != 0) {
      return -1; // the length is public; only the pad bytes are secret
    }
    int last = off + len - 1;
    int k = buf[last] & 0xff;
    // bad becomes negative when k is 0 or above 16, or when a byte within the last k differs from
    // k.
    int bad = (k - 1) | (BLOCK - k);
    for (int i = 0; i < BLOCK; i++) {
      int inPad = (i - k) >> 31; // -1 when i < k, else 0
      int diff = (buf[last - i] & 0xff) ^ k; // 0 when equal, else 1..255
      bad |= inPad & -diff;
    }
    int valid = ~(bad >> 31); // -1 when valid, else 0
    return (valid & (len - k)) | (~valid & -1);
  }
}
