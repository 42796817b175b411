package io.github.kmsj.protocol.crypto;

/** SHA-256, the V6 HMAC key derivation and the V6 HMAC (PROTOCOL.md §6.6). Pure functions. */
public final class KmsHashes {
  private KmsHashes() {}

  /** SHA-256 of {@code len} bytes of {@code data} at {@code off} (32 bytes). */
  public static byte[] sha256(byte[] data, int off, int len) {
    throw new UnsupportedOperationException();
  }

  /** The 16-byte V6 HMAC key for a request time given as an unsigned FILETIME. */
  public static byte[] v6HmacKey(long requestTimeFiletime) {
    throw new UnsupportedOperationException();
  }

  /** Bytes 16-31 of HMAC-SHA256(key, prefix16 ‖ data[off..off+len)). */
  public static byte[] v6Hmac(byte[] key, byte[] prefix16, byte[] data, int off, int len) {
    throw new UnsupportedOperationException();
  }
}
