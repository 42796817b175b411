package io.github.kmsj.core.client;

/**
 * Whether a {@link KmsSession} keeps its RPC association between requests (docs/PROTOCOL.md §2).
 */
public enum ConnectionMode {
  /**
   * One TCP connection and RPC association for every request, as vlmcs {@code -n} and Windows do;
   * when the host has closed it in between (py-kms closes after each answer), the session
   * reconnects once.
   */
  REUSE_ASSOCIATION,
  /** A new TCP connection, bind included, for each request; closed after the answer. */
  CONNECTION_PER_REQUEST
}
