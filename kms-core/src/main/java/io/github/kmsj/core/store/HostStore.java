package io.github.kmsj.core.store;

import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where a host keeps its identity and ledger across restarts.
 *
 * <p>The host calls {@link #load} once when it is built, then {@link #append} for every change, one
 * thread at a time and in the ledger's order. {@code append} never waits for storage: it hands the
 * change over and returns a future that completes once the change is as durable as the store
 * promises ({@link FileHostStore}: see {@link Durability}), or completes exceptionally with a
 * {@link StoreException}. The host answers only then, so no answer ever reports a change the store
 * could still lose. A store compacts itself off the request path.
 *
 * <p>A store that cannot write is {@linkplain #health() degraded}, not broken: the changes whose
 * write failed complete exceptionally, later appends fail at once, and the store retries by itself
 * and becomes healthy again when writing succeeds (see {@link FileHostStore}). A change whose
 * future failed may still be stored by the retry (it was never acknowledged, and the host counted
 * it in memory, so the ledger and the store agree after a restart); a change refused at once by
 * {@code append} is never stored.
 */
public interface HostStore extends AutoCloseable {

  /** A store that keeps nothing: every change is complete at once and a restart starts empty. */
  static HostStore none() {
    return NoStore.INSTANCE;
  }

  /**
   * Reads the stored state, repairing only what is provably a torn tail (reported in {@link
   * LoadedState#report()}). Called once, before any other method.
   *
   * @param limits the ledger's limits, which replaying the journal must apply as the host does
   * @throws StoreException if the stored state is corrupt or unreadable
   */
  LoadedState load(LedgerLimits limits);

  /**
   * Records one change; never blocks on storage.
   *
   * @return a future completed once the change is durable, or exceptionally with a {@link
   *     StoreException}
   * @throws StoreException if the store is degraded (the change is not recorded) or closed
   */
  CompletableFuture<Void> append(HostChange change);

  /**
   * Replaces everything stored with {@code state}, durably, as an import does; call after {@link
   * #load} and before a host uses the store.
   *
   * @throws StoreException if the store fails
   */
  void replace(HostState state);

  /**
   * Whether several hosts share this store's count (a cluster on one database): the host then
   * records counted requests with {@link #appendCounted} and answers with the count it completes
   * with, and mirrors the other hosts' changes given to {@link #follow}. False by default: the host
   * answers with its own ledger's count and never calls either.
   */
  default boolean isShared() {
    return false;
  }

  /**
   * Records a counted request as {@link #append} does, and completes once it is durable with the
   * count of its application in the shared state at the change's commit, this request included; or
   * with an empty count when the store acknowledged it from a local log because the shared state
   * was out of reach, and the host answers with its own ledger's count. Called only when {@link
   * #isShared()}; the default completes with an empty count once {@code append}'s future does.
   *
   * @throws StoreException if the store is degraded (the change is not recorded) or closed
   */
  default CompletableFuture<OptionalInt> appendCounted(HostChange.ClientSeen seen) {
    return append(seen).thenApply(v -> OptionalInt.empty());
  }

  /**
   * Gives a {@linkplain #isShared() shared} store the way to apply the changes other hosts made to
   * the host's ledger, so that its client list and the counts of its probes follow the shared
   * state. Called once, by the host, after {@link #load}; the store calls {@code ledger} on its own
   * thread, never for a change of this host. The default ignores it.
   */
  default void follow(Consumer<HostChange> ledger) {
    java.util.Objects.requireNonNull(ledger, "ledger");
  }

  /**
   * The cluster a {@linkplain #isShared() shared} store serves, for the admin view; empty (the
   * default) for a store of one host.
   */
  default Optional<StoreCluster> clusterView() {
    return Optional.empty();
  }

  /** Whether the store acknowledges changes now; a store that never fails is always healthy. */
  default StoreHealth health() {
    return StoreHealth.HEALTHY;
  }

  /**
   * Adds a listener told of every later change of {@link #health()}; a store that never fails never
   * calls it.
   */
  default void subscribe(StoreHealthListener listener) {
    java.util.Objects.requireNonNull(listener, "listener");
  }

  /**
   * Waits for a change's future from {@link #append}, throwing a store failure as the {@link
   * StoreException} it is rather than wrapped in a {@code CompletionException}.
   *
   * @throws StoreException if the change could not be made durable
   */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof StoreException se) {
        throw new StoreException(se.getMessage(), se);
      }
      throw e;
    }
  }

  /** Waits until every appended change is on stable storage. */
  void flush();

  /** Flushes and releases the store; further calls fail. */
  @Override
  void close();
}
