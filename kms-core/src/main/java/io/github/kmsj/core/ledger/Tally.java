package io.github.kmsj.core.ledger;

import io.github.kmsj.protocol.message.Guid;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ClientLedger#apply} did with one counted request.
 *
 * @param count the number of distinct CMIDs counted for the application, this one included: the
 *     host's {@code currentClientCount}
 * @param newCmid whether the CMID took a new place in the count (a first request, or one after it
 *     expired or was evicted), as opposed to a renewal
 * @param evicted the least recently seen CMID that lost its place to make room, if the table was
 *     full
 */
public record Tally(int count, boolean newCmid, Optional<Guid> evicted) {
  /** Checks that the count is positive. */
  public Tally {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    Objects.requireNonNull(evicted, "evicted");
  }
}
