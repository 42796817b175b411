package io.github.kmsj.core.client;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a client sends its request: a configured host, or the hosts discovery finds in a domain.
 */
public sealed interface Target permits Target.Address, Target.Discover {

  /** A configured host, as {@code slmgr /skms host:port} sets it. */
  static Target of(String host, int port) {
    return new Address(host, port);
  }

  /** A configured host on port 1688. */
  static Target of(String host) {
    return new Address(host, HostCandidate.DEFAULT_PORT);
  }

  /** A configured socket address (its literal address when resolved, else its host name). */
  static Target of(InetSocketAddress address) {
    String host =
        address.isUnresolved() ? address.getHostString() : address.getAddress().getHostAddress();
    return new Address(host, address.getPort());
  }

  /** Discovery in {@code domain} through the client's {@link KmsHostLocator}. */
  static Target discover(String domain) {
    return new Discover(Optional.of(domain));
  }

  /** Discovery in the locator's default domains (for DNS, the resolver's search list). */
  static Target discoverDefault() {
    return new Discover(Optional.empty());
  }

  /**
   * One host by name or literal address.
   *
   * @param host a host name or IP literal
   * @param port 1-65535
   */
  record Address(String host, int port) implements Target {
    /** Checks the fields. */
    public Address {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      if (port < 1 || port > 0xFFFF) {
        throw new IllegalArgumentException("port must be 1-65535: " + port);
      }
    }

    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  /**
   * The hosts a {@link KmsHostLocator} finds, tried in its order until one answers, as Windows
   * does.
   *
   * @param domain the domain to search, or empty for the locator's default
   */
  record Discover(Optional<String> domain) implements Target {
    /** Null checks. */
    public Discover {
      Objects.requireNonNull(domain, "domain");
    }

    @Override
    public String toString() {
      return "discover " + domain.orElse("(default domains)");
    }
  }
}
