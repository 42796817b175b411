package io.github.kmsj.core.store;

import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A store that keeps its snapshot and journal in memory, for tests and for hosts that need no
 * persistence but want the same code path. A {@link #reopen() reopened} view of the same data shows
 * what a restarted host would load. Every change is complete at once.
 */
public final class InMemoryHostStore implements HostStore {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Data data;
  private boolean loaded;
  private boolean closed;

  private static final class Data {
    HostState snapshot;
    long generation;
    final List<HostChange> journal = new ArrayList<>();
  }

  /** An empty store. */
  public InMemoryHostStore() {
    this(new Data());
  }

  private InMemoryHostStore(Data data) {
    this.data = data;
  }

  /** A fresh store over the same data, as if the process had restarted. */
  public InMemoryHostStore reopen() {
    return new InMemoryHostStore(data);
  }

  /** The number of changes appended since the last snapshot. */
  public int journalSize() {
    synchronized (data) {
      return data.journal.size();
    }
  }

  @Override
  public LoadedState load(LedgerLimits limits) {
    synchronized (data) {
      checkOpen();
      if (loaded) {
        throw new IllegalStateException("the store is already loaded by a host");
      }
      loaded = true;
      StateModel model = new StateModel(limits);
      if (data.snapshot != null) {
        model.restore(Optional.of(data.snapshot.identity()), data.snapshot.ledger());
      }
      data.journal.forEach(model::apply);
      return model.toLoaded(
          new StoreLoadReport(
              data.snapshot == null ? Optional.empty() : Optional.of(data.generation),
              data.journal.size(),
              List.of()));
    }
  }

  @Override
  public CompletableFuture<Void> append(HostChange change) {
    Objects.requireNonNull(change, "change");
    synchronized (data) {
      checkLoaded();
      data.journal.add(change);
      return DONE;
    }
  }

  @Override
  public void replace(HostState state) {
    Objects.requireNonNull(state, "state");
    synchronized (data) {
      checkLoaded();
      data.snapshot = state;
      data.generation++;
      data.journal.clear();
    }
  }

  @Override
  public void flush() {
    synchronized (data) {
      checkLoaded();
    }
  }

  @Override
  public void close() {
    synchronized (data) {
      closed = true;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException("the in-memory store is closed");
    }
  }

  private void checkLoaded() {
    checkOpen();
    if (!loaded) {
      throw new IllegalStateException("load() the store first");
    }
  }

  @Override
  public String toString() {
    return "an in-memory store";
  }
}
