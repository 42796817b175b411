package io.github.kmsj.bench;

import io.github.kmsj.protocol.crypto.KmsCipher;
import io.github.kmsj.protocol.crypto.KmsHashes;
import io.github.kmsj.protocol.crypto.V4Hash;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The cryptographic primitives of the hot path, one call each: a V6 and a V5 block, 240-byte CBC
 * (the size of an encrypted request), the V4 hash of a base request, SHA-256 of R and the V6 HMAC
 * of a typical response (key derivation included, as the codec does it).
 */
public class CipherBenchmark extends AbstractBenchmark {
  private final byte[] block = new byte[16];
  private final byte[] out = new byte[16];
  private final byte[] iv = new byte[16];
  private final byte[] buf240 = new byte[240];
  private final byte[] base236 = new byte[236];
  private final byte[] r16 = new byte[16];
  private final byte[] prefix16 = new byte[16];
  private final byte[] response = new byte[192];
  private final long filetime = 133_932_096_000_000_000L;
  private byte[] hmacKey;

  @Setup(Level.Trial)
  public void setUp() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
    for (byte[] b : new byte[][] {block, iv, buf240, base236, r16, prefix16, response}) {
      rng.nextBytes(b);
    }
    hmacKey = KmsHashes.v6HmacKey(filetime);
  }

  @Benchmark
  public byte[] v6EncryptBlock() {
    KmsCipher.V6.encryptBlock(block, 0, out, 0);
    return out;
  }

  @Benchmark
  public byte[] v6DecryptBlock() {
    KmsCipher.V6.decryptBlock(block, 0, out, 0);
    return out;
  }

  @Benchmark
  public byte[] v5EncryptBlock() {
    KmsCipher.V5.encryptBlock(block, 0, out, 0);
    return out;
  }

  /** In place: each call encrypts the previous ciphertext, the cost is the same. */
  @Benchmark
  public byte[] v5CbcEncrypt240() {
    KmsCipher.V5.cbcEncrypt(iv, 0, buf240, 0, 240);
    return buf240;
  }

  @Benchmark
  public byte[] v6CbcDecrypt240() {
    KmsCipher.V6.cbcDecrypt(iv, 0, buf240, 0, 240);
    return buf240;
  }

  @Benchmark
  public byte[] v4Hash236() {
    return V4Hash.compute(base236, 0, 236);
  }

  @Benchmark
  public byte[] sha256of16() {
    return KmsHashes.sha256(r16, 0, 16);
  }

  @Benchmark
  public byte[] v6HmacKey() {
    return KmsHashes.v6HmacKey(filetime);
  }

  /** The HMAC alone, over a 192-byte response body, with a precomputed key. */
  @Benchmark
  public byte[] v6Hmac192() {
    return KmsHashes.v6Hmac(hmacKey, prefix16, response, 0, response.length);
  }
}
