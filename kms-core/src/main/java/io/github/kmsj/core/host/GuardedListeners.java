package io.github.kmsj.core.host;

import io.github.kmsj.core.store.StoreHealth;
import java.util.List;
import java.util.function.Consumer;
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
    deliver(l -> l.onRequest(event), "a request");
  }

  void publish(ClockStep step) {
    deliver(l -> l.onClockStep(step), "a clock step");
  }

  void publish(CloneEvent event) {
    deliver(l -> l.onClone(event), "a clone");
  }

  void publishHealth(StoreHealth health) {
    deliver(l -> l.onStoreHealth(health), "a store health change");
  }

  private void deliver(Consumer<HostListener> call, String what) {
    for (HostListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable e) { // a listener must not break the host, whatever it throws
        log.warn("event listener {} failed on {}; skipped", listener, what, e);
      }
    }
  }

  boolean isEmpty() {
    return listeners.isEmpty();
  }
}
