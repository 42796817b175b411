package io.github.kmsj.core.count;

import io.github.kmsj.protocol.message.Guid;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One application's table at a moment: its highest N policy and its live CMIDs.
 *
 * @param applicationId the application ID
 * @param highestPolicy the highest N policy counted for it, 0–1000 (0: none yet)
 * @param entries the live CMIDs, least recently seen first; at most {@link #capacity()}
 */
public record ApplicationCounts(Guid applicationId, int highestPolicy, List<CmidEntry> entries) {

  /** Checks the policy range, that no CMID appears twice, the order and the capacity. */
  public ApplicationCounts {
    Objects.requireNonNull(applicationId, "applicationId");
    ActivationCounter.requirePolicy(highestPolicy);
    entries = List.copyOf(entries);
    Set<Guid> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      CmidEntry e = entries.get(i);
      if (!seen.add(e.cmid())) {
        throw new IllegalArgumentException("CMID " + e.cmid() + " appears twice");
      }
      if (i > 0 && e.lastSeen().isBefore(entries.get(i - 1).lastSeen())) {
        throw new IllegalArgumentException(
            "entries must be ordered by lastSeen, least recent first");
      }
    }
    int capacity = ActivationCounter.capacityFor(highestPolicy);
    if (entries.size() > capacity) {
      throw new IllegalArgumentException(
          entries.size()
              + " entries exceed the capacity "
              + capacity
              + " of policy "
              + highestPolicy);
    }
  }

  /** The number of live CMIDs: the count a request from one of them would get. */
  public int count() {
    return entries.size();
  }

  /** How many CMIDs the table holds at most, by {@link ActivationCounter#capacityFor(int)}. */
  public int capacity() {
    return ActivationCounter.capacityFor(highestPolicy);
  }
}
