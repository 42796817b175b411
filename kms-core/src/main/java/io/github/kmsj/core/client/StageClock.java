package io.github.kmsj.core.client;

import io.github.kmsj.core.time.Ticker;
import java.time.Duration;

/**
 * Accumulates the per-stage nanoseconds of one activation on a {@link Ticker}; one per call, one
 * thread.
 */
final class StageClock {
  private final Ticker ticker;
  private final long start;
  private long dns;
  private long connect;
  private long bind;
  private long request;

  StageClock(Ticker ticker) {
    this.ticker = ticker;
    this.start = ticker.read();
  }

  /** The ticker's reading, to start a stage. */
  long now() {
    return ticker.read();
  }

  void add(Stage stage, long startNanos) {
    long elapsed = ticker.read() - startNanos;
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
        Duration.ofNanos(ticker.read() - start));
  }
}
