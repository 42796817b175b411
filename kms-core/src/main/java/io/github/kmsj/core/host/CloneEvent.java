package io.github.kmsj.core.host;

import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.CloneDetection;
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

  /** The event for one counted request; empty when it did not make the CMID a clone. */
  static Optional<CloneEvent> detect(Optional<ClientRecord> before, Optional<ClientRecord> after) {
    return after
        .filter(a -> CloneDetection.becameClone(before, a, CloneDetection.DEFAULT_WINDOW))
        .map(a -> new CloneEvent(CloneDetection.SuspectedClone.of(a)));
  }
}
