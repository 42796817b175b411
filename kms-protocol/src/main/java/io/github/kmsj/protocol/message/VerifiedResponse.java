package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.IntegrityCheck;
import io.github.kmsj.protocol.IntegrityException;
import java.util.List;
import java.util.Objects;

/**
 * A response as a client decoded it, with every check it failed (docs/PROTOCOL.md §6.8).
 *
 * @param response the decoded response
 * @param failedChecks the checks that failed, in the order they were made; empty when it verified
 */
public record VerifiedResponse(KmsResponse response, List<IntegrityCheck> failedChecks) {
  /** Copies the list. */
  public VerifiedResponse {
    Objects.requireNonNull(response, "response");
    failedChecks = List.copyOf(failedChecks);
  }

  /** Whether every check passed. */
  public boolean isVerified() {
    return failedChecks.isEmpty();
  }

  /** The response, or an {@link IntegrityException} naming the first failed check. */
  public KmsResponse orThrow() {
    if (!failedChecks.isEmpty()) {
      throw new IntegrityException(failedChecks.get(0));
    }
    return response;
  }
}
