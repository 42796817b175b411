package io.github.kmsj.core.transport;

import io.github.kmsj.core.time.Scheduler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A {@link KmsServer}'s settings, immutable once it is built.
 *
 * @param listen the addresses to listen on
 * @param idleTimeout how long a connection may stay silent
 * @param maxConnections the most simultaneous connections; others wait in the kernel backlog
 * @param backlog the listen backlog
 * @param eventLoops the number of selector threads
 * @param filter the source-address allow-list
 * @param options RPC features and limits; empty to announce the first bound port
 * @param random where association group IDs come from, one generator per event loop
 * @param daemon whether the event loop threads are daemon threads
 * @param time the clock, ticker and timers of idle timeouts and accept back-off
 */
public record ServerSettings(
    List<InetSocketAddress> listen,
    Duration idleTimeout,
    int maxConnections,
    int backlog,
    int eventLoops,
    AddressFilter filter,
    Optional<ConnectionOptions> options,
    Supplier<RandomGenerator> random,
    boolean daemon,
    Scheduler time) {

  /** Checks every range, naming the setting and the value. */
  public ServerSettings {
    listen = List.copyOf(listen);
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("at least one listen address is needed");
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "idle timeout must be positive: " + idleTimeout.toMillis() + " ms");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
    }
    if (backlog < 1) {
      throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
    }
    if (eventLoops < 1 || eventLoops > 64) {
      throw new IllegalArgumentException("eventLoops must be 1-64: " + eventLoops);
    }
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(time, "time");
  }
}
