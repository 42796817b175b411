package io.github.kmsj.core.store;

/**
 * Where a host keeps its identity, CMID tables and client records across restarts.
 *
 * <p>The host calls {@link #load()} once when it is built, then {@link #append} for every change
 * inside its counting lock (so the store sees changes in the counter's order), {@link #snapshot}
 * inside the same lock when {@link #isSnapshotDue()}, and {@link #awaitDurable} outside the lock
 * before it returns the response. Every method may throw {@link StoreException}; the host lets it
 * propagate.
 */
public interface HostStore extends AutoCloseable {

  /**
   * Reads the stored state, repairing only what is provably a torn tail (reported in {@link
   * LoadedState#report()}). Called once, before any other method.
   *
   * @throws StoreException if the stored state is corrupt or unreadable
   */
  LoadedState load();

  /**
   * Records one change; called by one thread at a time.
   *
   * @return a ticket for {@link #awaitDurable}
   */
  long append(StoreChange change);

  /**
   * Returns once the change with {@code ticket}, and every change before it, is as durable as the
   * store's policy promises before a response (for a file store with per-request durability: on
   * disk).
   */
  void awaitDurable(long ticket);

  /** Whether the store wants a {@link #snapshot} now, for example because its journal has grown. */
  boolean isSnapshotDue();

  /**
   * Replaces everything stored with {@code state}, which must include every change appended so far;
   * called under the same lock as {@link #append}.
   */
  void snapshot(HostState state);

  /** Makes every appended change durable now. */
  void flush();

  /** Flushes and releases the store; further calls fail. */
  @Override
  void close();
}
