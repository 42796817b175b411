package io.github.kmsj.core.client;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.IntegrityCheck;
import io.github.kmsj.protocol.IntegrityException;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.message.BaseResponse;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.ResponseV6;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.rpc.NcaStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns a response stub into the outcome a Windows client would see: a refusal, a validation
 * failure, or a verified answer judged against the client's N policy (docs/PROTOCOL.md §6.8, §10).
 */
final class ResponseClassifier {
  private ResponseClassifier() {}

  static ActivationResult classify(
      EncodedRequest sent,
      StubResponse stub,
      ActivationRequest request,
      String host,
      StageTimings timings) {
    if (stub.hresult().value() != 0) {
      return new ActivationResult.Refused(stub.hresult(), host, timings);
    }
    if (stub.message().isEmpty()) {
      return validationFailure(
          host, "the host returned S_OK without a response message", null, List.of(), timings);
    }
    VerifiedResponse verified;
    try {
      verified = KmsClientCodec.decodeResponse(sent, stub.message().get().toArray());
    } catch (IntegrityException e) {
      return validationFailure(host, e.getMessage(), e, List.of(e.check()), timings);
    } catch (KmsProtocolException | IllegalArgumentException e) {
      return validationFailure(
          host, "the response does not decode: " + e.getMessage(), e, List.of(), timings);
    }
    if (!verified.isVerified()) {
      IntegrityCheck first = verified.failedChecks().get(0);
      return validationFailure(
          host,
          "the response failed " + verified.failedChecks() + ": " + first.description(),
          null,
          verified.failedChecks(),
          timings);
    }
    BaseResponse base = verified.response().base();
    Duration activation = minutes(base.vlActivationInterval());
    Duration renewal = minutes(base.vlRenewalInterval());
    if (Integer.compareUnsigned(base.currentClientCount(), request.requiredClientCount()) < 0) {
      return new ActivationResult.BelowThreshold(
          base.currentClientCount(),
          request.requiredClientCount(),
          activation,
          renewal,
          host,
          verified,
          timings);
    }
    Optional<Bytes> hwid =
        verified.response() instanceof ResponseV6 v6 ? Optional.of(v6.hwid()) : Optional.empty();
    return new ActivationResult.Activated(
        base.currentClientCount(),
        request.requiredClientCount(),
        base.ePid(),
        Epid.tryParse(base.ePid()),
        hwid,
        activation,
        renewal,
        host,
        verified,
        timings);
  }

  static ActivationResult.TransportFailure validationFailure(
      String host,
      String message,
      Throwable cause,
      List<IntegrityCheck> checks,
      StageTimings timings) {
    return new ActivationResult.TransportFailure(
        Stage.RESPONSE_VALIDATION,
        host,
        message,
        Optional.ofNullable(cause),
        checks,
        Optional.empty(),
        timings);
  }

  static ActivationResult.TransportFailure fault(
      String host, NcaStatus status, Throwable cause, StageTimings timings) {
    return new ActivationResult.TransportFailure(
        Stage.RESPONSE_VALIDATION,
        host,
        "the host answered with RPC fault " + status,
        Optional.of(cause),
        List.of(),
        Optional.of(status),
        timings);
  }

  static ActivationResult.TransportFailure failure(
      Stage stage, String host, Throwable cause, StageTimings timings) {
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ActivationResult.TransportFailure(
        stage,
        host,
        stage + " failed: " + message,
        Optional.of(cause),
        List.of(),
        Optional.empty(),
        timings);
  }

  private static Duration minutes(int wireMinutes) {
    return Duration.ofMinutes(Integer.toUnsignedLong(wireMinutes));
  }
}
