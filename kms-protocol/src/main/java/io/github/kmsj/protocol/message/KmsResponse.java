package io.github.kmsj.protocol.message;

/**
 * A decoded KMS response: its base response plus the version's integrity fields (docs/PROTOCOL.md
 * §5.4-5.7).
 */
public sealed interface KmsResponse permits ResponseV4, ResponseV5, ResponseV6 {
  /** The base response. */
  BaseResponse base();

  /** The outer protocol version. */
  default ProtocolVersion version() {
    return base().version();
  }
}
