package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;
import java.util.Objects;

/**
 * A V4 response: the base response in the clear and its V4 hash (docs/PROTOCOL.md §5.4).
 *
 * @param base the base response
 * @param hash the 16-byte V4 hash as received
 */
public record ResponseV4(BaseResponse base, Bytes hash) implements KmsResponse {
  /** Null and size checks. */
  public ResponseV4 {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(hash, "hash");
    if (hash.length() != 16) {
      throw new IllegalArgumentException("hash must be 16 bytes: " + hash.length());
    }
  }
}
