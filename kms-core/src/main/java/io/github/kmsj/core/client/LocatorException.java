package io.github.kmsj.core.client;

import io.github.kmsj.core.KmsCoreException;
import java.util.List;

/**
 * Thrown when host discovery could not get an answer (a timeout, a server failure), as opposed to
 * an answer saying that no host exists, which is an empty {@link LocatedHosts}.
 */
public class LocatorException extends KmsCoreException {

  private static final long serialVersionUID = 1L;

  /** What discovery tried before it failed; see {@link LocatedHosts#attempts()}. */
  private final List<String> attempts;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param attempts the steps tried, one readable line each
   * @param cause the underlying failure, or {@code null} if the failure was an error response
   */
  public LocatorException(String message, List<String> attempts, Throwable cause) {
    super(message, cause);
    this.attempts = List.copyOf(attempts);
  }

  /** Returns the steps discovery tried, one readable line each. */
  public List<String> attempts() {
    return attempts;
  }
}
