package io.github.kmsj.core.catalog;

import io.github.kmsj.core.KmsCoreException;

/**
 * A catalog file that cannot be read or is inconsistent; the message names the file and the bad
 * entry.
 */
public final class CatalogException extends KmsCoreException {

  private static final long serialVersionUID = 1L;

  /** An error with the message and the underlying cause, which may be null. */
  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An error with the message only. */
  public CatalogException(String message) {
    super(message);
  }
}
