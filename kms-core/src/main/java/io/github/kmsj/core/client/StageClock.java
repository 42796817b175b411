package io.github.kmsj.core.client;

import java.time.Duration;

/** Accumulates the per-stage nanoseconds of one activation; one per call, one thread. */
final class StageClock {
  private final long start = System.nanoTime();
  private long dns;
  private long connect;
  private long bind;
  private long request;

  void add(Stage stage, long startNanos) {
    long elapsed = System.nanoTime() - startNanos;
    switch (stage) {
      case DNS -> dns += elapsed;
      case CONNECT -> connect += elapsed;
      case BIND -> bind += elapsed;
      default -> request += elapsed;
    }
  }

  StageTimings timings() {
    return new StageTimings(
        Duration.ofNanos(dns),
        Duration.ofNanos(connect),
        Duration.ofNanos(bind),
        Duration.ofNanos(request),
        Duration.ofNanos(System.nanoTime() - start));
  }
}
