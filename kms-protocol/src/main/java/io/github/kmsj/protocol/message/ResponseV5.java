package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;
import java.util.Objects;

/**
 * A decrypted V5 response (docs/PROTOCOL.md §5.6).
 *
 * @param base the base response
 * @param salt the response salt, which must equal the request's
 * @param randomXor R ⊕ D(requestSalt)
 * @param hash SHA-256(R)
 */
public record ResponseV5(BaseResponse base, Bytes salt, Bytes randomXor, Bytes hash)
    implements KmsResponse {
  /** Null and size checks. */
  public ResponseV5 {
    Objects.requireNonNull(base, "base");
    checkLength(salt, 16, "salt");
    checkLength(randomXor, 16, "randomXor");
    checkLength(hash, 32, "hash");
  }

  static void checkLength(Bytes b, int length, String name) {
    Objects.requireNonNull(b, name);
    if (b.length() != length) {
      throw new IllegalArgumentException(name + " must be " + length + " bytes: " + b.length());
    }
  }
}
