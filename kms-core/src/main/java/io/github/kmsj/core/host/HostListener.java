package io.github.kmsj.core.host;

/**
 * Receives an event for every request a {@link KmsHost} processed. Called on the thread that
 * handled the request, after the count was updated; must be quick. A listener that throws is logged
 * and skipped: it cannot break the host.
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
}
