package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;
import java.util.Objects;

/**
 * A request whose version is not 4.0, 5.0 or 6.0; a host answers it with {@link
 * HResult#INVALID_DATA}.
 *
 * @param version the version word as sent
 * @param message the whole KMS message as received
 */
public record UnsupportedRequest(ProtocolVersion version, Bytes message) implements KmsRequest {
  /** Null checks. */
  public UnsupportedRequest {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(message, "message");
  }
}
