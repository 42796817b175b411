package io.github.kmsj.core.management;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of a {@link ReadinessCheck}: the host answered a real activation, or the stage that
 * failed.
 */
public sealed interface ReadinessResult permits ReadinessResult.Ready, ReadinessResult.NotReady {

  /** Whether the host answered. */
  boolean isReady();

  /** Where a check can fail, in the order a client meets them. */
  enum Stage {
    /** The TCP connection was refused or timed out. */
    CONNECT,
    /** The RPC bind (and alter_context) failed or timed out. */
    BIND,
    /** The request was not answered: the connection closed, timed out or got an RPC fault. */
    REQUEST,
    /** The host refused with an HRESULT, or its response did not verify. */
    RESPONSE
  }

  /**
   * The host answered the probe with a verified response.
   *
   * @param latency from connecting to the verified response
   * @param currentCount the count the host returned (the probe itself is never counted)
   * @param ePid the ePID the host returned
   */
  record Ready(Duration latency, int currentCount, String ePid) implements ReadinessResult {
    /** Null checks. */
    public Ready {
      Objects.requireNonNull(latency, "latency");
      Objects.requireNonNull(ePid, "ePid");
    }

    @Override
    public boolean isReady() {
      return true;
    }
  }

  /**
   * The check failed.
   *
   * @param stage where
   * @param cause a sentence saying why, with the exception or HRESULT
   */
  record NotReady(Stage stage, String cause) implements ReadinessResult {
    /** Null checks. */
    public NotReady {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(cause, "cause");
    }

    @Override
    public boolean isReady() {
      return false;
    }
  }
}
