package io.github.kmsj.core.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per source, for {@link KmsServer.Builder#maxConnectionsPerAddress}. An IPv4
 * source counts per address, an IPv6 source per /64 (the block one subscriber usually holds, so a
 * client cannot escape the limit by walking its own prefix). The acceptor acquires, any event loop
 * releases.
 */
final class AddressCounts {
  private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();
  private final int max;
  private final boolean exemptLoopback;

  AddressCounts(int max, boolean exemptLoopback) {
    this.max = max;
    this.exemptLoopback = exemptLoopback;
  }

  /**
   * Counts one more connection from {@code source}.
   *
   * @return the key to {@linkplain #release release} when it closes, {@link #EXEMPT} for a source
   *     the limit does not cover, or null when the source is at its limit (nothing is counted then)
   */
  InetAddress acquire(InetAddress source) {
    if (exemptLoopback && source.isLoopbackAddress()) {
      return EXEMPT;
    }
    InetAddress key = key(source);
    boolean[] admitted = {false};
    counts.compute(
        key,
        (k, n) -> {
          int now = n == null ? 0 : n;
          if (now >= max) {
            return n;
          }
          admitted[0] = true;
          return now + 1;
        });
    return admitted[0] ? key : null;
  }

  /** Releases what {@link #acquire} counted under {@code key}. */
  void release(InetAddress key) {
    if (key != null && key != EXEMPT) {
      counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** The sources counted now (for tests: the map must not keep sources without connections). */
  int sources() {
    return counts.size();
  }

  static InetAddress key(InetAddress source) {
    if (!(source instanceof Inet6Address)) {
      return source;
    }
    try {
      return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(source.getAddress(), 8), 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 16-byte address is always valid", e);
    }
  }

  /** The key of a connection the limit does not cover. */
  static final InetAddress EXEMPT = InetAddress.getLoopbackAddress();
}
