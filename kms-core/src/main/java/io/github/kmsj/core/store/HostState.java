package io.github.kmsj.core.store;

import io.github.kmsj.core.count.ApplicationCounts;
import io.github.kmsj.core.count.CounterSnapshot;
import io.github.kmsj.core.host.HostIdentity;
import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole remembered state of a host at one moment: its identity, its CMID tables and its client
 * records. Immutable; what a snapshot holds, what {@link HostStateExporter} writes, and the host's
 * query view.
 *
 * @param identity the host's ePIDs and HWID
 * @param counts the CMID tables, as of {@link CounterSnapshot#asOf()}
 * @param clients the client records, least recently seen first
 */
public record HostState(HostIdentity identity, CounterSnapshot counts, List<ClientRecord> clients) {

  /** Checks nulls and that no client (application and CMID) appears twice. */
  public HostState {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(counts, "counts");
    clients = List.copyOf(clients);
    Set<List<Guid>> seen = new HashSet<>();
    for (ClientRecord c : clients) {
      if (!seen.add(List.of(c.applicationId(), c.cmid()))) {
        throw new IllegalArgumentException(
            "client " + c.cmid() + " of application " + c.applicationId() + " appears twice");
      }
    }
  }

  /** The record of {@code cmid} for {@code applicationId}, if the host remembers it. */
  public Optional<ClientRecord> client(Guid applicationId, Guid cmid) {
    return clients.stream()
        .filter(c -> c.cmid().equals(cmid) && c.applicationId().equals(applicationId))
        .findFirst();
  }

  /** Every record of {@code cmid}, one per application it was counted for (usually one). */
  public List<ClientRecord> clientsWithCmid(Guid cmid) {
    return clients.stream().filter(c -> c.cmid().equals(cmid)).toList();
  }

  /** The clients whose last counted request is more than {@code age} before {@code now}. */
  public List<ClientRecord> clientsNotSeenFor(Duration age, Instant now) {
    Instant cutoff = now.minus(age);
    List<ClientRecord> stale = new ArrayList<>();
    for (ClientRecord c : clients) {
      if (c.lastSeen().isBefore(cutoff)) {
        stale.add(c);
      }
    }
    return stale;
  }

  /** The count a request would get, per application, as of {@link CounterSnapshot#asOf()}. */
  public Map<Guid, Integer> currentCounts() {
    Map<Guid, Integer> counts = new LinkedHashMap<>();
    for (ApplicationCounts a : this.counts.applications()) {
      counts.put(a.applicationId(), a.count());
    }
    return counts;
  }
}
