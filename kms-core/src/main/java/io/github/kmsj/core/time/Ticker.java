package io.github.kmsj.core.time;

/**
 * A source of nanosecond ticks for measuring elapsed time, like {@link System#nanoTime()}: only the
 * difference of two readings means anything. Timeouts, back-offs and latencies read it instead of
 * the wall clock, so that a step of the wall clock never shortens or stretches them.
 */
@FunctionalInterface
public interface Ticker {

  /** The current tick, in nanoseconds from an arbitrary origin. */
  long read();

  /** The JVM's monotonic clock, {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
