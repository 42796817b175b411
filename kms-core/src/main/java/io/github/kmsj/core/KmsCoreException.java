package io.github.kmsj.core;

/**
 * The root of kms-core's exceptions: a store that cannot be used ({@code StoreException}), a
 * catalog that cannot be read ({@code CatalogException}) or host discovery that got no answer
 * ({@code LocatorException}). Protocol outcomes are values, never exceptions; this is for the
 * environment failing.
 */
public class KmsCoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with the message and the underlying cause, which may be null. */
  public KmsCoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An error with the message only. */
  public KmsCoreException(String message) {
    super(message);
  }
}
