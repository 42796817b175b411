package io.github.kmsj.core.store;

import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.ledger.LedgerState;
import java.util.Optional;

/**
 * A host's state rebuilt from a snapshot and the changes after it, through the same {@link
 * ClientLedger} the host counts with, so the result is exactly what the host had.
 */
final class StateModel {
  private HostIdentity identity;
  private final ClientLedger ledger;

  StateModel(LedgerLimits limits) {
    this.ledger = new ClientLedger(limits);
  }

  void restore(Optional<HostIdentity> identity, LedgerState state) {
    this.identity = identity.orElse(null);
    ledger.restore(state);
  }

  void apply(HostChange change) {
    if (change instanceof HostChange.IdentitySet set) {
      identity = set.identity();
    } else {
      ledger.apply(change);
    }
  }

  Optional<HostIdentity> identity() {
    return Optional.ofNullable(identity);
  }

  LedgerState ledger() {
    return ledger.state();
  }

  /** The state to snapshot; a store with no identity yet has nothing worth a snapshot. */
  Optional<HostState> state() {
    return identity().map(id -> new HostState(id, ledger.state()));
  }

  LoadedState toLoaded(StoreLoadReport report) {
    return new LoadedState(identity(), ledger.state(), report);
  }
}
