package io.github.kmsj.dns;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * A failed step of publishing, turned into a {@link PublishEvent.Failed} by {@link SrvPublisher}.
 */
final class StepFailure extends Exception {

  private static final long serialVersionUID = 1L;

  final PublishFailure reason;

  StepFailure(PublishFailure reason, String detail, Throwable cause) {
    super(detail, cause);
    this.reason = reason;
  }

  StepFailure(PublishFailure reason, String detail) {
    this(reason, detail, null);
  }

  /** Classifies an exception from {@code Resolver.send}. */
  static StepFailure fromIo(String step, IOException e) {
    boolean timeout =
        e instanceof SocketTimeoutException
            || e.getCause() instanceof TimeoutException
            || e.getCause() instanceof SocketTimeoutException;
    return new StepFailure(
        timeout ? PublishFailure.TIMEOUT : PublishFailure.NETWORK_ERROR,
        step + ": " + (timeout ? "no answer in time" : "I/O error") + " (" + e + ")",
        e);
  }
}
