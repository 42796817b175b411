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
 * @param idleTimeout how long a bound connection may go without a whole PDU (bytes of a PDU that
 *     never completes do not count)
 * @param bindTimeout how long a connection may take from accept to its first answered bind
 * @param pduTimeout how long a PDU may take from its first byte to its last
 * @param maxConnections the most simultaneous connections (lowered at start to what the open-file
 *     limit allows); at the cap a new connection evicts an old one
 * @param maxConnectionsPerAddress the most simultaneous connections from one IPv4 address or IPv6
 *     /64; more are closed at once
 * @param exemptLoopback whether loopback sources are exempt from {@code maxConnectionsPerAddress}
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
    Duration bindTimeout,
    Duration pduTimeout,
    int maxConnections,
    int maxConnectionsPerAddress,
    boolean exemptLoopback,
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
    requirePositive(idleTimeout, "idle timeout");
    requirePositive(bindTimeout, "bind timeout");
    requirePositive(pduTimeout, "PDU timeout");
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
    }
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException(
          "maxConnectionsPerAddress must be at least 1: " + maxConnectionsPerAddress);
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

  static Duration requirePositive(Duration timeout, String name) {
    Objects.requireNonNull(timeout, name);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + timeout.toMillis() + " ms");
    }
    return timeout;
  }
}
