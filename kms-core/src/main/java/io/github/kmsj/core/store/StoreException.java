package io.github.kmsj.core.store;

import io.github.kmsj.core.KmsCoreException;

/**
 * A host store that cannot be opened, read or written; the message names the directory or file and,
 * for corruption, the byte offset. It always propagates to the caller: a store failure is never
 * swallowed.
 */
public final class StoreException extends KmsCoreException {

  private static final long serialVersionUID = 1L;

  /** An error with the message and the underlying cause, which may be null. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An error with the message only. */
  public StoreException(String message) {
    super(message);
  }
}
