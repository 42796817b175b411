package io.github.kmsj.protocol.ndr;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.HResult;
import java.util.Objects;
import java.util.Optional;

/**
 * The out-parameters of RequestActivation as a client decodes them: the KMS response, if the
 * pointer was not NULL, and the return value.
 *
 * @param message the KMS response bytes; empty for a failure stub
 * @param hresult the return value
 */
public record StubResponse(Optional<Bytes> message, HResult hresult) {
  /** Null checks. */
  public StubResponse {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(hresult, "hresult");
  }
}
