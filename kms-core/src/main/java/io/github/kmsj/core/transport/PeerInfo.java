package io.github.kmsj.core.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The two ends of a connection, as the transport knows them.
 *
 * @param remote the client's address
 * @param local the address the host accepted on
 */
public record PeerInfo(InetSocketAddress remote, InetSocketAddress local) {
  /** Null checks. */
  public PeerInfo {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(local, "local");
  }
}
