package io.github.kmsj.core.count;

import io.github.kmsj.protocol.message.Guid;
import java.time.Instant;
import java.util.Objects;

/**
 * What a host remembers about one client machine of one application.
 *
 * @param cmid the client machine ID
 * @param firstSeen when its first request of the current record was counted
 * @param lastSeen when its latest request was counted; it stays counted until {@code lastSeen + 30
 *     days}
 * @param requestCount how many requests were counted since {@code firstSeen}, at least 1
 */
public record CmidEntry(Guid cmid, Instant firstSeen, Instant lastSeen, long requestCount) {

  /** Checks {@code firstSeen <= lastSeen} and {@code requestCount >= 1}. */
  public CmidEntry {
    Objects.requireNonNull(cmid, "cmid");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (lastSeen.isBefore(firstSeen)) {
      throw new IllegalArgumentException(
          "lastSeen must not precede firstSeen: " + lastSeen + " < " + firstSeen);
    }
    if (requestCount < 1) {
      throw new IllegalArgumentException("requestCount must be at least 1: " + requestCount);
    }
  }
}
