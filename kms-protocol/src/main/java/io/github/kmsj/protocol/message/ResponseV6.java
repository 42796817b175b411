package io.github.kmsj.protocol.message;

import static io.github.kmsj.protocol.message.ResponseV5.checkLength;

import io.github.kmsj.protocol.Bytes;
import java.util.Objects;

/**
 * A decrypted V6 response (docs/PROTOCOL.md §5.7).
 *
 * @param base the base response
 * @param salt the fresh response salt, which must differ from the request's
 * @param randomXor R ⊕ D(requestSalt)
 * @param hash SHA-256(R)
 * @param hwid the host's 8-byte hardware ID, in wire order
 * @param xorSalts D(requestSalt)
 * @param hmac bytes 16-31 of the HMAC-SHA256 over D(responseSalt) and the plaintext
 */
public record ResponseV6(
    BaseResponse base,
    Bytes salt,
    Bytes randomXor,
    Bytes hash,
    Bytes hwid,
    Bytes xorSalts,
    Bytes hmac)
    implements KmsResponse {
  /** Null and size checks. */
  public ResponseV6 {
    Objects.requireNonNull(base, "base");
    checkLength(salt, 16, "salt");
    checkLength(randomXor, 16, "randomXor");
    checkLength(hash, 32, "hash");
    checkLength(hwid, 8, "hwid");
    checkLength(xorSalts, 16, "xorSalts");
    checkLength(hmac, 16, "hmac");
  }
}
