package io.github.kmsj.protocol;

/**
 * A KMS message whose hash, MAC or echoed field does not verify.
 *
 * <p>The decoders report failed checks as values ({@link IntegrityCheck}); this exception is for
 * callers that ask for a verified message or nothing.
 */
public class IntegrityException extends KmsProtocolException {
  private static final long serialVersionUID = 1L;

  /** The check that failed. */
  private final IntegrityCheck check;

  /** The named check failed. */
  public IntegrityException(IntegrityCheck check) {
    super("KMS message failed integrity check " + check + ": " + check.description());
    this.check = check;
  }

  /** The check that failed. */
  public IntegrityCheck check() {
    return check;
  }
}
