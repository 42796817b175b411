package io.github.kmsj.core.store;

/**
 * Receives every change of a store's {@link StoreHealth}: healthy to degraded, degraded to healthy,
 * and a retrying degradation that became permanent. Called on the store's writer thread; must be
 * quick. A listener that throws is logged and skipped.
 */
@FunctionalInterface
public interface StoreHealthListener {
  /** The store's health is now {@code health}. */
  void onStoreHealth(StoreHealth health);
}
