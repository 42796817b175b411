package io.github.kmsj.protocol.message;

import java.util.Objects;

/**
 * A V4 request: the base request in the clear followed by its V4 hash (docs/PROTOCOL.md §5.4).
 *
 * @param base the base request; its version is 4.0
 */
public record RequestV4(BaseRequest base) implements KmsRequest {
  /** Checks the version. */
  public RequestV4 {
    Objects.requireNonNull(base, "base");
    if (base.version().major() != 4) {
      throw new IllegalArgumentException("a V4 request needs version 4.x: " + base.version());
    }
  }

  @Override
  public ProtocolVersion version() {
    return base.version();
  }
}
