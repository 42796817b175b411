package io.github.kmsj.core.count;

import io.github.kmsj.protocol.message.Guid;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * One application's CMIDs, least recently seen first.
 *
 * <p>Notes. The map is access-ordered, so {@code get} moves a CMID to the tail and the head is
 * always the least recently seen: expiry trims from the head and stops at the first live entry, and
 * eviction removes the head, both O(1) per removed entry. That order equals {@code lastSeen} order
 * only while time never runs backwards, so the table keeps its own clock: {@link #advance} turns a
 * {@code now} earlier than the latest one seen into that latest one. A host whose clock steps back
 * therefore counts as if no time had passed, never with negative ages; a clock that jumped forward
 * and back again has already expired what it expired.
 */
final class CmidTable {

  /** A mutable record, so that a renewal allocates nothing. */
  private static final class Slot {
    final Guid cmid;
    final Instant firstSeen;
    Instant lastSeen;
    long requestCount;

    Slot(Guid cmid, Instant firstSeen, Instant lastSeen, long requestCount) {
      this.cmid = cmid;
      this.firstSeen = firstSeen;
      this.lastSeen = lastSeen;
      this.requestCount = requestCount;
    }

    CmidEntry toEntry() {
      return new CmidEntry(cmid, firstSeen, lastSeen, requestCount);
    }
  }

  private final Guid applicationId;
  private final LinkedHashMap<Guid, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
  private int highestPolicy;
  private Instant latest;

  CmidTable(Guid applicationId) {
    this.applicationId = applicationId;
  }

  Guid applicationId() {
    return applicationId;
  }

  int highestPolicy() {
    return highestPolicy;
  }

  int capacity() {
    return ActivationCounter.capacityFor(highestPolicy);
  }

  int size() {
    return slots.size();
  }

  /** The table's time for a call at {@code now}: never earlier than any time it has used before. */
  Instant advance(Instant now) {
    if (latest == null || now.isAfter(latest)) {
      latest = now;
    }
    return latest;
  }

  /**
   * Removes the CMIDs not seen in the window ending at {@code now}: those with {@code lastSeen + 30
   * d <= now}.
   */
  void expire(Instant now, CounterListener listener) {
    Iterator<Slot> it = slots.values().iterator();
    while (it.hasNext()) {
      Slot slot = it.next();
      if (now.isBefore(slot.lastSeen.plus(ActivationCounter.ACTIVE_WINDOW))) {
        return;
      }
      it.remove();
      if (listener != CounterListener.NONE) {
        listener.onExpired(applicationId, slot.toEntry());
      }
    }
  }

  void raisePolicy(int policy, CounterListener listener) {
    if (policy > highestPolicy) {
      int previous = highestPolicy;
      highestPolicy = policy;
      listener.onPolicyRaised(applicationId, previous, policy);
    }
  }

  /** Adds or refreshes {@code cmid} at {@code now} (already advanced and expired) and counts. */
  CountResult.Counted touch(Guid cmid, Instant now, CounterListener listener) {
    Slot slot = slots.get(cmid);
    if (slot != null) {
      slot.lastSeen = now;
      slot.requestCount++;
      if (listener != CounterListener.NONE) {
        listener.onRefreshed(applicationId, slot.toEntry());
      }
      return new CountResult.Counted(slots.size(), false, Optional.empty());
    }
    slot = new Slot(cmid, now, now, 1);
    slots.put(cmid, slot);
    if (listener != CounterListener.NONE) {
      listener.onAdded(applicationId, slot.toEntry());
    }
    Guid evicted = null;
    if (slots.size() > capacity()) {
      Iterator<Slot> it = slots.values().iterator();
      Slot head = it.next();
      it.remove();
      evicted = head.cmid;
      if (listener != CounterListener.NONE) {
        listener.onEvicted(applicationId, head.toEntry());
      }
    }
    return new CountResult.Counted(slots.size(), true, Optional.ofNullable(evicted));
  }

  /**
   * Replaces the contents; {@code entries} are ordered by lastSeen and fit the capacity of {@code
   * policy}.
   */
  void load(int policy, List<CmidEntry> entries) {
    slots.clear();
    highestPolicy = policy;
    latest = null;
    for (CmidEntry e : entries) {
      slots.put(e.cmid(), new Slot(e.cmid(), e.firstSeen(), e.lastSeen(), e.requestCount()));
      advance(e.lastSeen());
    }
  }

  ApplicationCounts toCounts() {
    List<CmidEntry> entries = new ArrayList<>(slots.size());
    for (Slot slot : slots.values()) {
      entries.add(slot.toEntry());
    }
    return new ApplicationCounts(applicationId, highestPolicy, entries);
  }
}
