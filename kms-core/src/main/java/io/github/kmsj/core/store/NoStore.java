package io.github.kmsj.core.store;

import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.ledger.LedgerState;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link HostStore#none()}: keeps nothing, completes every change at once. */
final class NoStore implements HostStore {
  static final NoStore INSTANCE = new NoStore();

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private NoStore() {}

  @Override
  public LoadedState load(LedgerLimits limits) {
    return new LoadedState(Optional.empty(), LedgerState.EMPTY, StoreLoadReport.EMPTY);
  }

  @Override
  public CompletableFuture<Void> append(HostChange change) {
    Objects.requireNonNull(change, "change");
    return DONE;
  }

  @Override
  public void replace(HostState state) {
    Objects.requireNonNull(state, "state");
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "no store";
  }
}
