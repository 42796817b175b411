package io.github.kmsj.core.ledger;

import io.github.kmsj.protocol.message.Guid;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole remembered state of a host at one moment: its identity and its ledger. Immutable; what
 * an export writes and the host's query view.
 *
 * @param identity the host's ePIDs and HWID
 * @param ledger its clients and counts
 */
public record HostState(HostIdentity identity, LedgerState ledger) {

  /** Null checks. */
  public HostState {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(ledger, "ledger");
  }

  /** The client records, least recently seen first. */
  public List<ClientRecord> clients() {
    return ledger.clients();
  }

  /** The count of every application at the ledger's time. */
  public Map<Guid, Integer> currentCounts() {
    return ledger.counts();
  }
}
