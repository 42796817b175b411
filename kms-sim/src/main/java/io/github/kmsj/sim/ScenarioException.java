package io.github.kmsj.sim;

/**
 * A scenario that cannot run: the file does not parse, a field is out of range, or a name does not
 * resolve against the catalog. The message is one line and names the field (and the line and column
 * where the parser knows them).
 */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause} (may be null). */
  public ScenarioException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure described by {@code message}. */
  public ScenarioException(String message) {
    super(message);
  }
}
