package io.github.kmsj.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A store that keeps its snapshot and journal in memory, for tests and for hosts that need no
 * persistence but want the same code path. A new {@link #reopen() reopened} view of the same data
 * shows what a restarted host would load.
 */
public final class InMemoryHostStore implements HostStore {

  private final Data data;
  private boolean loaded;
  private boolean closed;

  private static final class Data {
    HostState snapshot;
    long generation;
    final List<StoreChange> journal = new ArrayList<>();
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
  public LoadedState load() {
    synchronized (data) {
      checkOpen();
      if (loaded) {
        throw new IllegalStateException("the store is already loaded");
      }
      loaded = true;
      StateModel model = new StateModel();
      if (data.snapshot != null) {
        model.restore(data.snapshot);
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
  public long append(StoreChange change) {
    Objects.requireNonNull(change, "change");
    synchronized (data) {
      checkLoaded();
      data.journal.add(change);
      return data.journal.size();
    }
  }

  @Override
  public void awaitDurable(long ticket) {
    checkLoaded();
  }

  /** False: memory is never compacted on its own. */
  @Override
  public boolean isSnapshotDue() {
    return false;
  }

  @Override
  public void snapshot(HostState state) {
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
    checkLoaded();
  }

  @Override
  public void close() {
    closed = true;
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
}
