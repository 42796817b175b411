package io.github.kmsj.core.host;

import io.github.kmsj.core.store.StoreHealth;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners so that a failing listener is logged and skipped, never propagated.
 */
final class GuardedListeners {
  private static final Logger log = LoggerFactory.getLogger(GuardedListeners.class);

  private final List<HostListener> listeners;

  GuardedListeners(List<HostListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  void publish(RequestEvent event) {
    for (HostListener listener : listeners) {
      try {
        listener.onRequest(event);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable e) { // a listener must not break the host, whatever it throws
        log.warn("event listener {} failed; skipped", listener, e);
      }
    }
  }

  void publish(ClockStep step) {
    for (HostListener listener : listeners) {
      try {
        listener.onClockStep(step);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable e) { // a listener must not break the host, whatever it throws
        log.warn("event listener {} failed; skipped", listener, e);
      }
    }
  }

  void publishHealth(StoreHealth health) {
    for (HostListener listener : listeners) {
      try {
        listener.onStoreHealth(health);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable e) { // a listener must not break the host, whatever it throws
        log.warn("event listener {} failed on a store health change; skipped", listener, e);
      }
    }
  }

  boolean isEmpty() {
    return listeners.isEmpty();
  }
}
