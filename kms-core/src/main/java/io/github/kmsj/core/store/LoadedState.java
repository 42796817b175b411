package io.github.kmsj.core.store;

import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.core.ledger.LedgerState;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link HostStore#load} found: the state to restore and a report of what was repaired.
 *
 * @param identity the stored identity, empty for a new store
 * @param ledger the client ledger
 * @param report where loading started and what it repaired
 */
public record LoadedState(
    Optional<HostIdentity> identity, LedgerState ledger, StoreLoadReport report) {

  /** Null checks. */
  public LoadedState {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(report, "report");
  }

  /** Whether the store held nothing: no identity and no clients. */
  public boolean isEmpty() {
    return identity.isEmpty() && ledger.clients().isEmpty() && ledger.applications().isEmpty();
  }
}
