package io.github.kmsj.protocol.crypto;

/**
 * An AES-128 block cipher over an explicit expanded key: standard AES for KMS V5, and the V6 cipher whose
 * round keys 4, 6 and 8 are changed after expansion (PROTOCOL.md §6.2).
 *
 * <p>Immutable and thread-safe. Table-based: it is on the request hot path.
 */
public final class KmsCipher {
  /** The V5 cipher: standard AES-128 with key {@code CD7E796F2AB25DCB55FFC8EF8364C470}. */
  public static final KmsCipher V5 = null;
  /** The V6 cipher: AES-128 with key {@code A94A4195E201432D9BCB460405D84A21} and modified round keys. */
  public static final KmsCipher V6 = null;

  private KmsCipher() {}

  /** Standard AES-128 (FIPS 197) with a 16-byte key. */
  public static KmsCipher aes128(byte[] key) {
    throw new UnsupportedOperationException();
  }

  /** AES-128 with a 16-byte key whose expanded key then gets the V6 changes (RK[4][0]^=0x73, RK[6][0]^=0x09, RK[8][0]^=0xE4). */
  public static KmsCipher v6(byte[] key) {
    throw new UnsupportedOperationException();
  }

  /** The 176-byte expanded key (11 round keys), as used for encryption. */
  public byte[] expandedKey() {
    throw new UnsupportedOperationException();
  }

  /** Encrypts one 16-byte block; {@code in} and {@code out} may be the same array and offset. */
  public void encryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
    throw new UnsupportedOperationException();
  }

  /** Decrypts one 16-byte block; {@code in} and {@code out} may be the same array and offset. */
  public void decryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
    throw new UnsupportedOperationException();
  }

  /** CBC-encrypts {@code len} bytes (a multiple of 16) of {@code buf} at {@code off} in place, with the IV at {@code ivOff} of {@code iv}. */
  public void cbcEncrypt(byte[] iv, int ivOff, byte[] buf, int off, int len) {
    throw new UnsupportedOperationException();
  }

  /** CBC-decrypts {@code len} bytes (a multiple of 16) of {@code buf} at {@code off} in place, with the IV at {@code ivOff} of {@code iv}. */
  public void cbcDecrypt(byte[] iv, int ivOff, byte[] buf, int off, int len) {
    throw new UnsupportedOperationException();
  }
}
