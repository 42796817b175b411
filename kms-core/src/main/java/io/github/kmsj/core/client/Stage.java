package io.github.kmsj.core.client;

/**
 * A step of one activation exchange, named where a {@link ActivationResult.TransportFailure}
 * happened.
 */
public enum Stage {
  /** Host discovery through the {@link KmsHostLocator}, or resolving a host name. */
  DNS,
  /** Opening the TCP connection. */
  CONNECT,
  /** The RPC bind and, when needed, alter_context (docs/PROTOCOL.md §3.6). */
  BIND,
  /** Sending the request and reading the response PDU. */
  REQUEST,
  /**
   * Checking the response: RPC call ID and context, fault, stub, and the KMS checks of
   * docs/PROTOCOL.md §6.8.
   */
  RESPONSE_VALIDATION
}
