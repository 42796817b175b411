package io.github.kmsj.core.store;

import io.github.kmsj.core.count.CounterSnapshot;
import io.github.kmsj.core.host.HostIdentity;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link HostStore#load()} found: the state to restore and a report of what was repaired.
 *
 * @param identity the stored identity, empty for a new store
 * @param counts the CMID tables
 * @param clients the client records, least recently seen first
 * @param report where loading started and what it repaired
 */
public record LoadedState(
    Optional<HostIdentity> identity,
    CounterSnapshot counts,
    List<ClientRecord> clients,
    StoreLoadReport report) {

  /** Null checks. */
  public LoadedState {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(counts, "counts");
    clients = List.copyOf(clients);
    Objects.requireNonNull(report, "report");
  }

  /** Whether the store held nothing: no identity, no counts, no clients. */
  public boolean isEmpty() {
    return identity.isEmpty() && counts.applications().isEmpty() && clients.isEmpty();
  }
}
