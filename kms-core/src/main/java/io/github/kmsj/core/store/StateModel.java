package io.github.kmsj.core.store;

import io.github.kmsj.core.count.ActivationCounter;
import io.github.kmsj.core.count.CountResult;
import io.github.kmsj.core.count.CounterSnapshot;
import io.github.kmsj.core.host.HostIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A host's state rebuilt from a snapshot and the changes after it, the way the host built it. */
final class StateModel {
  private HostIdentity identity;
  private final ActivationCounter counter = new ActivationCounter();
  private final ClientRegistry registry = new ClientRegistry();
  private Instant latest = Instant.EPOCH;

  void restore(HostState state) {
    identity = state.identity();
    counter.restore(state.counts());
    registry.restore(state.clients());
    latest = state.counts().asOf();
  }

  void apply(StoreChange change) {
    if (change instanceof StoreChange.IdentitySet set) {
      identity = set.identity();
    } else if (change instanceof StoreChange.ClientSeen seen) {
      CountResult result =
          counter.record(
              seen.applicationId(), seen.cmid(), seen.requiredClientCount(), seen.time());
      if (!result.isRefused()) {
        registry.record(seen);
      }
      if (seen.time().isAfter(latest)) {
        latest = seen.time();
      }
    }
  }

  Optional<HostIdentity> identity() {
    return Optional.ofNullable(identity);
  }

  LoadedState toLoaded(StoreLoadReport report) {
    CounterSnapshot counts = counter.snapshot(latest);
    List<ClientRecord> clients = registry.records();
    return new LoadedState(Optional.ofNullable(identity), counts, clients, report);
  }
}
