package io.github.kmsj.core.host;

import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.CloneDetection;
import io.github.kmsj.protocol.message.Guid;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A request made its client machine ID a suspected clone ({@link CloneDetection}): the CMID is now
 * seen from more than one workstation name within {@link CloneDetection#DEFAULT_WINDOW}.
 *
 * @param suspect the CMID, its application, and the names and addresses seen
 */
public record CloneEvent(CloneDetection.SuspectedClone suspect) {
  /** Checks. */
  public CloneEvent {
    Objects.requireNonNull(suspect, "suspect");
  }

  /**
   * The event for a counted request of a CMID that was no clone just before it; empty when it is no
   * clone after it either. The record is copied only when there is an event.
   */
  static Optional<CloneEvent> detect(
      ClientLedger ledger, Guid applicationId, Guid cmid, Instant now) {
    if (!ledger.isClone(applicationId, cmid, now, CloneDetection.DEFAULT_WINDOW)) {
      return Optional.empty();
    }
    return ledger
        .client(applicationId, cmid)
        .map(r -> new CloneEvent(CloneDetection.SuspectedClone.of(r)));
  }
}
