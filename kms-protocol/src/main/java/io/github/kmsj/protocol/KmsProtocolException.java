package io.github.kmsj.protocol;

/**
 * The root of every failure raised by the kmsj protocol codec.
 *
 * <p>Protocol <em>outcomes</em> (a refused activation, an unsupported version a host must answer)
 * are values, not exceptions; this hierarchy is for input that cannot be decoded or verified at
 * all.
 */
public class KmsProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public KmsProtocolException(String message) {
    super(message);
  }

  /** An exception with a message and the failure that caused it. */
  public KmsProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
