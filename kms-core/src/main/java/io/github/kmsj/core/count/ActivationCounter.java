package io.github.kmsj.core.count;

import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The host's activation counts: one table of client machine IDs per application ID, as Microsoft
 * documents for genuine hosts (PROTOCOL.md §10).
 *
 * <ul>
 *   <li>A request adds its CMID or refreshes it; the count it gets is the number of distinct CMIDs
 *       seen in the last {@link #ACTIVE_WINDOW 30 days}, itself included. A renewal does not grow
 *       the count.
 *   <li>A CMID last seen at {@code t} counts up to, but not at, {@code t + 30 days}.
 *   <li>Each table holds at most {@link #capacityFor(int) twice the highest N policy} seen for its
 *       application (10 after only servers or Office, 50 once a Windows client arrives), never
 *       shrinking; a new CMID beyond that evicts the least recently seen one.
 *   <li>An N policy above {@link #MAX_POLICY} is refused ({@code 0x8007000D}) and changes nothing.
 * </ul>
 *
 * <p>Each call costs amortized O(1) and allocates nothing in proportion to the number of clients.
 * Time is an argument; a {@code now} earlier than one already used counts as that later time (see
 * {@code CmidTable}). Not thread-safe: the host calls it from one thread or under a lock, and hands
 * out {@link #snapshot snapshots}.
 */
public final class ActivationCounter {

  /** How long a CMID keeps counting after its latest request. */
  public static final Duration ACTIVE_WINDOW = Duration.ofDays(30);

  /** The highest N policy a host accepts; vlmcsd refuses more with {@code 0x8007000D}. */
  public static final int MAX_POLICY = 1000;

  /**
   * In the order applications were first counted (or restored), so that snapshots are reproducible.
   */
  private final Map<Guid, CmidTable> tables = new LinkedHashMap<>();

  private final CounterListener listener;

  /** A counter with no listener. */
  public ActivationCounter() {
    this(CounterListener.NONE);
  }

  /**
   * A counter that reports every change to {@code listener}; a failing listener is logged and
   * ignored.
   */
  public ActivationCounter(CounterListener listener) {
    this.listener = GuardedCounterListener.guard(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * The capacity of a table whose highest N policy is {@code highestPolicy}: twice that, and at
   * least 2 so that a table can always hold the requesting CMID.
   */
  public static int capacityFor(int highestPolicy) {
    return 2 * Math.max(highestPolicy, 1);
  }

  static int requirePolicy(int policy) {
    if (policy < 0 || policy > MAX_POLICY) {
      throw new IllegalArgumentException("N policy must be 0–" + MAX_POLICY + ": " + policy);
    }
    return policy;
  }

  /**
   * Counts a request from {@code cmid} for {@code applicationId} at {@code now}.
   *
   * @param requiredClientCount the request's N policy, an unsigned 32-bit wire value
   * @return the count and what changed, or {@link CountResult.PolicyTooHigh} with the table
   *     untouched
   */
  public CountResult record(Guid applicationId, Guid cmid, int requiredClientCount, Instant now) {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(cmid, "cmid");
    Objects.requireNonNull(now, "now");
    if (Integer.compareUnsigned(requiredClientCount, MAX_POLICY) > 0) {
      return new CountResult.PolicyTooHigh(Integer.toUnsignedLong(requiredClientCount));
    }
    CmidTable table = tables.computeIfAbsent(applicationId, CmidTable::new);
    Instant t = table.advance(now);
    table.expire(t, listener);
    table.raisePolicy(requiredClientCount, listener);
    return table.touch(cmid, t, listener);
  }

  /** The number of CMIDs of {@code applicationId} active at {@code now}; drops the expired ones. */
  public int currentCount(Guid applicationId, Instant now) {
    Objects.requireNonNull(now, "now");
    CmidTable table = tables.get(applicationId);
    if (table == null) {
      return 0;
    }
    table.expire(table.advance(now), listener);
    return table.size();
  }

  /**
   * The table capacity of {@code applicationId}: {@link #capacityFor(int)} of its highest policy.
   */
  public int capacity(Guid applicationId) {
    return capacityFor(highestPolicy(applicationId));
  }

  /** The highest N policy counted for {@code applicationId}, or 0 if none was. */
  public int highestPolicy(Guid applicationId) {
    CmidTable table = tables.get(applicationId);
    return table == null ? 0 : table.highestPolicy();
  }

  /** An immutable copy of every table as of {@code now}; drops the expired CMIDs first. */
  public CounterSnapshot snapshot(Instant now) {
    Objects.requireNonNull(now, "now");
    List<ApplicationCounts> counts = new ArrayList<>(tables.size());
    for (CmidTable table : tables.values()) {
      table.expire(table.advance(now), listener);
      counts.add(table.toCounts());
    }
    return new CounterSnapshot(now, counts);
  }

  /** Replaces all tables with those of {@code snapshot}; the listener is not told. */
  public void restore(CounterSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    tables.clear();
    for (ApplicationCounts counts : snapshot.applications()) {
      restore(counts.applicationId(), counts.highestPolicy(), counts.entries());
    }
  }

  /**
   * Replaces the table of {@code applicationId}, for example while replaying a journal. Entries may
   * come in any order; if there are more than the capacity allows, the most recently seen are kept.
   * The listener is not told.
   *
   * @throws IllegalArgumentException if the policy is outside 0–1000 or a CMID appears twice
   */
  public void restore(Guid applicationId, int highestPolicy, Collection<CmidEntry> entries) {
    Objects.requireNonNull(applicationId, "applicationId");
    requirePolicy(highestPolicy);
    List<CmidEntry> sorted = new ArrayList<>(entries);
    Set<Guid> seen = new HashSet<>();
    for (CmidEntry e : sorted) {
      if (!seen.add(e.cmid())) {
        throw new IllegalArgumentException(
            "CMID " + e.cmid() + " appears twice for application " + applicationId);
      }
    }
    sorted.sort(Comparator.comparing(CmidEntry::lastSeen));
    int capacity = capacityFor(highestPolicy);
    List<CmidEntry> kept = sorted.subList(Math.max(0, sorted.size() - capacity), sorted.size());
    tables.computeIfAbsent(applicationId, CmidTable::new).load(highestPolicy, kept);
  }
}
