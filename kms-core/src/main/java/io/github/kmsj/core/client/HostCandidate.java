package io.github.kmsj.core.client;

import java.util.Objects;

/**
 * A KMS host a client may contact, as announced by one SRV record (<a
 * href="https://www.rfc-editor.org/rfc/rfc2782">RFC 2782</a>).
 *
 * @param host the host's fully qualified name, without the final dot (for example {@code
 *     "kms1.corp.example"})
 * @param port the TCP port, 1–65535 (KMS uses 1688)
 * @param priority the SRV priority, 0–65535; lower is tried first
 * @param weight the SRV weight, 0–65535; the relative share among hosts of equal priority
 */
public record HostCandidate(String host, int port, int priority, int weight) {

  /** The port a KMS host listens on unless configured otherwise. */
  public static final int DEFAULT_PORT = 1688;

  /** Checks the fields. */
  public HostCandidate {
    Objects.requireNonNull(host, "host");
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "host must be a non-empty name without spaces: '" + host + "'");
    }
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be 1-65535: " + port);
    }
    if (priority < 0 || priority > 0xFFFF) {
      throw new IllegalArgumentException("priority must be 0-65535: " + priority);
    }
    if (weight < 0 || weight > 0xFFFF) {
      throw new IllegalArgumentException("weight must be 0-65535: " + weight);
    }
  }

  /** Returns {@code host:port}, the form slmgr prints. */
  public String address() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
