package io.github.kmsj.core.store;

import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * The host's client records, one per application and CMID, updated on every counted request.
 *
 * <p>Bounded two ways: a record not seen for the retention (default {@link #RETENTION 90 days}) is
 * dropped, and beyond the record cap (default {@link #MAX_CLIENTS}) the least recently seen is
 * dropped. Like {@code ActivationCounter} it keeps its own clock, so a {@code now} earlier than one
 * already used counts as that later time; the records then stay ordered by {@code lastSeen}. Each
 * call costs amortized O(1). Not thread-safe: the host calls it under its counting lock and hands
 * out copies.
 */
public final class ClientRegistry {

  /** How long a client is remembered after its latest counted request, by default. */
  public static final Duration RETENTION = Duration.ofDays(90);

  /** The most client records kept, by default. */
  public static final int MAX_CLIENTS = 1_000_000;

  private final Duration retention;
  private final int maxClients;

  private record Key(Guid applicationId, Guid cmid) {}

  /** Least recently seen first: a put of a known key moves it to the tail. */
  private final LinkedHashMap<Key, ClientRecord> records = new LinkedHashMap<>(16, 0.75f, true);

  private Instant latest;

  /** An empty registry with the default bounds (90 days, 1,000,000 records). */
  public ClientRegistry() {
    this(RETENTION, MAX_CLIENTS);
  }

  /**
   * An empty registry that forgets a client {@code retention} after its latest request and keeps at
   * most {@code maxClients} records.
   *
   * @throws IllegalArgumentException naming a bound that is not positive
   */
  public ClientRegistry(Duration retention, int maxClients) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("client retention must be positive: " + retention);
    }
    if (maxClients < 1) {
      throw new IllegalArgumentException("maxClients must be at least 1: " + maxClients);
    }
    this.retention = retention;
    this.maxClients = maxClients;
  }

  /** Adds or refreshes the client of a counted request and drops the records it outlives. */
  public void record(StoreChange.ClientSeen seen) {
    Objects.requireNonNull(seen, "seen");
    Instant t = advance(seen.time());
    Key key = new Key(seen.applicationId(), seen.cmid());
    ClientRecord old = records.get(key);
    ClientRecord updated =
        new ClientRecord(
            seen.cmid(),
            seen.workstationName(),
            seen.applicationId(),
            seen.skuId(),
            seen.kmsCountedId(),
            seen.licenseStatus(),
            seen.remote(),
            old == null ? t : old.firstSeen(),
            t,
            old == null ? 1 : old.requestCount() + 1);
    records.put(key, updated);
    trim(t);
  }

  /** Replaces every record with {@code clients}, which must be ordered by {@code lastSeen}. */
  public void restore(List<ClientRecord> clients) {
    records.clear();
    latest = null;
    for (ClientRecord c : clients) {
      Instant t = advance(c.lastSeen());
      if (c.lastSeen().isBefore(t)) {
        throw new IllegalArgumentException(
            "client records must be ordered by lastSeen, least recent first");
      }
      if (records.put(new Key(c.applicationId(), c.cmid()), c) != null) {
        throw new IllegalArgumentException(
            "client " + c.cmid() + " of application " + c.applicationId() + " appears twice");
      }
    }
    if (latest != null) {
      trim(latest);
    }
  }

  /** A copy of every record, least recently seen first. */
  public List<ClientRecord> records() {
    return new ArrayList<>(records.values());
  }

  /** The number of records. */
  public int size() {
    return records.size();
  }

  private Instant advance(Instant now) {
    if (latest == null || now.isAfter(latest)) {
      latest = now;
    }
    return latest;
  }

  private void trim(Instant now) {
    Iterator<ClientRecord> it = records.values().iterator();
    while (it.hasNext()) {
      ClientRecord head = it.next();
      if (records.size() <= maxClients && now.isBefore(head.lastSeen().plus(retention))) {
        return;
      }
      it.remove();
    }
  }
}
