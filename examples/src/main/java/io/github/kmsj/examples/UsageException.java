package io.github.kmsj.examples;

/** A usage error: {@code kmsj} prints its message on one line and exits with status 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
