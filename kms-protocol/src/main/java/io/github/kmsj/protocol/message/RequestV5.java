package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;
import java.util.Objects;

/**
 * A V5 request: the base request AES-128-CBC encrypted with the client's salt as IV
 * (docs/PROTOCOL.md §5.5).
 *
 * @param base the base request; its version is 5.0
 * @param salt the 16 random bytes the client chose as IV
 */
public record RequestV5(BaseRequest base, Bytes salt) implements KmsRequest {
  /** Checks the version and salt size. */
  public RequestV5 {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(salt, "salt");
    if (base.version().major() != 5) {
      throw new IllegalArgumentException("a V5 request needs version 5.x: " + base.version());
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
