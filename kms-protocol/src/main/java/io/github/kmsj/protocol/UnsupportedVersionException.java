package io.github.kmsj.protocol;

import io.github.kmsj.protocol.message.ProtocolVersion;

/**
 * A KMS message whose protocol version this codec cannot build or read as asked.
 *
 * <p>A host never sees this for a request: an unknown version decodes to {@link
 * io.github.kmsj.protocol.message.UnsupportedRequest}, which the host answers with {@code
 * 0x8007000D}.
 */
public class UnsupportedVersionException extends KmsProtocolException {
  private static final long serialVersionUID = 1L;

  private final transient ProtocolVersion version;

  /** The version that was not supported. */
  public UnsupportedVersionException(ProtocolVersion version, String detail) {
    super("unsupported KMS protocol version " + version + ": " + detail);
    this.version = version;
  }

  /** The offending version. */
  public ProtocolVersion version() {
    return version;
  }
}
