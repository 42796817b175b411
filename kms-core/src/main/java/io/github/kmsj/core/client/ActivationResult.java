package io.github.kmsj.core.client;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.IntegrityCheck;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.rpc.NcaStatus;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one activation attempt, as a Windows client would judge it: activated, a count
 * below its N policy, a refusal from the host, no host reachable, or a transport or validation
 * failure. Protocol outcomes are values, never exceptions.
 */
public sealed interface ActivationResult
    permits ActivationResult.Activated,
        ActivationResult.BelowThreshold,
        ActivationResult.Refused,
        ActivationResult.NoHostFound,
        ActivationResult.TransportFailure {

  /**
   * The HRESULT a Windows client reports for this outcome: {@code S_OK}, {@code 0xC004F038} below
   * threshold, the host's code for a refusal, {@code 0xC004F074} when no host could be used
   * (docs/PROTOCOL.md §7.2).
   */
  HResult hresult();

  /** How long each stage took. */
  StageTimings timings();

  /** Whether the client is activated by this answer. */
  default boolean isActivated() {
    return this instanceof Activated;
  }

  /**
   * The host answered with a count at or above the client's N policy: the client is licensed.
   *
   * @param currentClientCount the host's count
   * @param requiredClientCount the N policy the client sent
   * @param ePid the host's ePID as sent
   * @param epid the ePID decoded, when it has the standard form (§8)
   * @param hwid the host's hardware ID (V6 only)
   * @param activationInterval how long an unactivated client waits before retrying, as the host
   *     said
   * @param renewalInterval how often an activated client renews, as the host said
   * @param host the address that answered ({@code ip:port})
   * @param response the verified response
   * @param timings per-stage latencies
   */
  record Activated(
      int currentClientCount,
      int requiredClientCount,
      String ePid,
      Optional<Epid> epid,
      Optional<Bytes> hwid,
      Duration activationInterval,
      Duration renewalInterval,
      String host,
      VerifiedResponse response,
      StageTimings timings)
      implements ActivationResult {
    /** Null checks; the response must have verified. */
    public Activated {
      Objects.requireNonNull(ePid, "ePid");
      Objects.requireNonNull(epid, "epid");
      Objects.requireNonNull(hwid, "hwid");
      Objects.requireNonNull(activationInterval, "activationInterval");
      Objects.requireNonNull(renewalInterval, "renewalInterval");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(timings, "timings");
      if (!response.isVerified()) {
        throw new IllegalArgumentException(
            "an activation needs a verified response: " + response.failedChecks());
      }
    }

    @Override
    public HResult hresult() {
      return HResult.S_OK;
    }
  }

  /**
   * The host answered, but its count is below the client's N policy: the client stays unlicensed
   * and retries after the activation interval ({@code 0xC004F038}, docs/PROTOCOL.md §10).
   *
   * @param currentClientCount the host's count
   * @param requiredClientCount the N policy the client sent
   * @param activationInterval how long to wait before retrying, as the host said
   * @param renewalInterval the host's renewal interval
   * @param host the address that answered ({@code ip:port})
   * @param response the verified response
   * @param timings per-stage latencies
   */
  record BelowThreshold(
      int currentClientCount,
      int requiredClientCount,
      Duration activationInterval,
      Duration renewalInterval,
      String host,
      VerifiedResponse response,
      StageTimings timings)
      implements ActivationResult {
    /** Null checks. */
    public BelowThreshold {
      Objects.requireNonNull(activationInterval, "activationInterval");
      Objects.requireNonNull(renewalInterval, "renewalInterval");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(response, "response");
      Objects.requireNonNull(timings, "timings");
    }

    @Override
    public HResult hresult() {
      return HResult.NOT_ENOUGH_COUNT;
    }
  }

  /**
   * The host refused with an HRESULT in the RPC stub (docs/PROTOCOL.md §7).
   *
   * @param hresult the host's code
   * @param host the address that answered ({@code ip:port})
   * @param timings per-stage latencies
   */
  record Refused(HResult hresult, String host, StageTimings timings) implements ActivationResult {
    /** Null checks. */
    public Refused {
      Objects.requireNonNull(hresult, "hresult");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(timings, "timings");
    }

    /** Microsoft's meaning of the code. */
    public String meaning() {
      return hresult.meaning();
    }
  }

  /**
   * Discovery found no host that answered: none was published, the lookup failed, or every
   * candidate failed to connect or answer.
   *
   * @param query what was looked up
   * @param attempts what discovery did, one readable line each ({@link LocatedHosts#attempts()})
   * @param candidateFailures the failure of each candidate tried, in order
   * @param error the locator's exception, when the lookup itself failed
   * @param timings per-stage latencies
   */
  record NoHostFound(
      String query,
      List<String> attempts,
      List<TransportFailure> candidateFailures,
      Optional<LocatorException> error,
      StageTimings timings)
      implements ActivationResult {
    /** Null checks; copies the lists. */
    public NoHostFound {
      Objects.requireNonNull(query, "query");
      attempts = List.copyOf(attempts);
      candidateFailures = List.copyOf(candidateFailures);
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(timings, "timings");
    }

    @Override
    public HResult hresult() {
      return HResult.BINDING_SERVICE_UNAVAILABLE;
    }
  }

  /**
   * The exchange failed at {@code stage}: the connection, the RPC layer or a check on the response.
   *
   * @param stage where it failed
   * @param host the address or target involved
   * @param message what went wrong, one sentence
   * @param cause the underlying exception, when there is one
   * @param failedChecks for {@link Stage#RESPONSE_VALIDATION}: the KMS checks that failed, in order
   * @param faultStatus for {@link Stage#RESPONSE_VALIDATION}: the status of an RPC fault PDU
   * @param timings per-stage latencies
   */
  record TransportFailure(
      Stage stage,
      String host,
      String message,
      Optional<Throwable> cause,
      List<IntegrityCheck> failedChecks,
      Optional<NcaStatus> faultStatus,
      StageTimings timings)
      implements ActivationResult {
    /** Null checks; copies the list. */
    public TransportFailure {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(cause, "cause");
      failedChecks = List.copyOf(failedChecks);
      Objects.requireNonNull(faultStatus, "faultStatus");
      Objects.requireNonNull(timings, "timings");
    }

    @Override
    public HResult hresult() {
      return HResult.BINDING_SERVICE_UNAVAILABLE;
    }

    /** Whether the stage ran out of time. */
    public boolean isTimeout() {
      return cause.filter(SocketTimeoutException.class::isInstance).isPresent();
    }
  }
}
