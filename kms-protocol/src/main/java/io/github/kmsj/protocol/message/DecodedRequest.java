package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.IntegrityCheck;
import java.util.Objects;
import java.util.Optional;

/**
 * A request as a host decoded it: the value, the first integrity check it failed (if any), and the
 * decrypted request salt the response needs.
 */
public final class DecodedRequest {
  private final KmsRequest request;
  private final IntegrityCheck failedCheck;
  private final byte[] decryptedSalt;

  DecodedRequest(KmsRequest request, IntegrityCheck failedCheck, byte[] decryptedSalt) {
    this.request = Objects.requireNonNull(request);
    this.failedCheck = failedCheck;
    this.decryptedSalt = decryptedSalt;
  }

  /** The request; an {@link UnsupportedRequest} for an unknown version. */
  public KmsRequest request() {
    return request;
  }

  /** The check the request failed: V4_HASH, PADDING or VERSION_ECHO; empty when it verified. */
  public Optional<IntegrityCheck> failedCheck() {
    return Optional.ofNullable(failedCheck);
  }

  /** Whether the request verified and has a version a host can answer. */
  public boolean isAnswerable() {
    return failedCheck == null && !(request instanceof UnsupportedRequest);
  }

  /** The base request, or empty for an unsupported version. */
  public Optional<BaseRequest> base() {
    if (request instanceof RequestV4 v4) {
      return Optional.of(v4.base());
    } else if (request instanceof RequestV5 v5) {
      return Optional.of(v5.base());
    } else if (request instanceof RequestV6 v6) {
      return Optional.of(v6.base());
    }
    return Optional.empty();
  }

  /** D(requestSalt) for V5/V6, the value the response's randomXor and xorSalts are built from. */
  byte[] decryptedSalt() {
    return decryptedSalt;
  }

  @Override
  public String toString() {
    return "DecodedRequest["
        + request
        + (failedCheck == null ? "" : ", failed " + failedCheck)
        + "]";
  }
}
