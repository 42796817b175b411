package io.github.kmsj.core.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each stage of one activation took, measured with {@link System#nanoTime()}. A stage that
 * did not run (no discovery, a reused connection) is {@link Duration#ZERO}.
 *
 * @param dns discovery and name resolution
 * @param connect TCP connection set-up, all candidates together
 * @param bind RPC bind and alter_context
 * @param request the request's round trip
 * @param total the whole call, including what the other stages do not cover
 */
public record StageTimings(
    Duration dns, Duration connect, Duration bind, Duration request, Duration total) {
  /** All zero. */
  public static final StageTimings ZERO =
      new StageTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /** Null and sign checks. */
  public StageTimings {
    check(dns, "dns");
    check(connect, "connect");
    check(bind, "bind");
    check(request, "request");
    check(total, "total");
  }

  private static void check(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }
}
