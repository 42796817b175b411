package io.github.kmsj.core.host;

import io.github.kmsj.core.store.StoreHealth;

/**
 * Receives an event for every request a {@link KmsHost} processed, and every change of its store's
 * health. Called on the thread that handled the request (for health, the store's writer thread),
 * after the count was updated; must be quick. A listener that throws is logged and skipped: it
 * cannot break the host.
 */
@FunctionalInterface
public interface HostListener {
  /** One processed request. */
  void onRequest(RequestEvent event);

  /**
   * The wall clock stepped against the monotonic ticker, or a step was confirmed and adopted (see
   * {@code KmsHost}'s clock rule); by default ignored.
   */
  default void onClockStep(ClockStep step) {}

  /**
   * The host's store became degraded (it answers counted requests with {@code 0x8007045D} until it
   * recovers) or healthy again; see {@link KmsHost#storeHealth()}. Ignored by default.
   */
  default void onStoreHealth(StoreHealth health) {}

  /**
   * A request made its CMID a suspected clone: the CMID is now seen from more than one workstation
   * name within {@link io.github.kmsj.core.ledger.CloneDetection#DEFAULT_WINDOW}. Ignored by
   * default.
   */
  default void onClone(CloneEvent event) {}
}
