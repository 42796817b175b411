package io.github.kmsj.protocol.message;

/**
 * A KMS request as decoded from, or to be encoded into, the RPC stub (docs/PROTOCOL.md §5).
 *
 * <p>{@link UnsupportedRequest} carries a version no host can answer; the host answers it with
 * {@link HResult#INVALID_DATA} instead of dropping the connection.
 */
public sealed interface KmsRequest permits RequestV4, RequestV5, RequestV6, UnsupportedRequest {
  /** The outer protocol version. */
  ProtocolVersion version();
}
