package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;
import java.util.Objects;

/**
 * A V6 request: the base request encrypted with the V6 cipher in CBC mode, the client's salt as IV
 * (docs/PROTOCOL.md §5.5).
 *
 * @param base the base request; its version is 6.0
 * @param salt the 16 random bytes the client chose as IV
 */
public record RequestV6(BaseRequest base, Bytes salt) implements KmsRequest {
  /** Checks the version and salt size. */
  public RequestV6 {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(salt, "salt");
    if (base.version().major() != 6) {
      throw new IllegalArgumentException("a V6 request needs version 6.x: " + base.version());
    }
    if (salt.length() != 16) {
      throw new IllegalArgumentException("salt must be 16 bytes: " + salt.length());
    }
  }

  @Override
  public ProtocolVersion version() {
    return base.version();
  }
}
