package io.github.kmsj.core.client;

import java.time.Instant;

/** Receives a {@link ClientLifecycle}'s events, on the thread that drives its scheduler. */
public interface LifecycleListener {

  /** The state changed. */
  default void onTransition(LifecycleTransition transition) {}

  /** An attempt ran at {@code at} with {@code result}; {@code next} is the next attempt's time. */
  default void onAttempt(Instant at, ActivationResult result, Instant next) {}
}
