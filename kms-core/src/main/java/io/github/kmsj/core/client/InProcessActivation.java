package io.github.kmsj.core.client;

import io.github.kmsj.core.host.HostResponse;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.Ticker;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.ResponseRandom;
import io.github.kmsj.protocol.ndr.StubResponse;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * An activation against a {@link KmsHost} in the same JVM, without sockets or RPC: the request is
 * encoded, decoded by the host codec, decided, encoded and verified exactly as over the wire, so
 * the result is the one {@link KmsClient} would return. For simulators that run many clients on a
 * manual clock.
 */
public final class InProcessActivation {
  /** The {@code host} text of results produced here. */
  public static final String HOST = "in-process";

  private InProcessActivation() {}

  /**
   * One activation at {@code now} on both sides; salts, R and the response salt come from {@code
   * random}.
   */
  public static ActivationResult activate(
      KmsHost host, ActivationRequest request, Instant now, RandomGenerator random) {
    return activate(host, request, now, now, random);
  }

  /**
   * One activation with the client's clock at {@code clientNow} and the host's at {@code hostNow},
   * to simulate clock skew.
   */
  public static ActivationResult activate(
      KmsHost host,
      ActivationRequest request,
      Instant clientNow,
      Instant hostNow,
      RandomGenerator random) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(hostNow, "hostNow");
    StageClock clock = new StageClock(Ticker.system());
    long t = clock.now();
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    EncodedRequest sent =
        KmsClientCodec.encodeRequest(request.toKmsRequest(clientNow, Bytes.of(salt)));
    StubResponse stub;
    try {
      stub = answer(host, KmsHostCodec.decodeRequest(sent.bytes()), hostNow, random);
    } catch (KmsProtocolException e) {
      stub = new StubResponse(Optional.empty(), HResult.INVALID_DATA);
    }
    clock.add(Stage.REQUEST, t);
    return ResponseClassifier.classify(sent, stub, request, HOST, clock.timings());
  }

  private static StubResponse answer(
      KmsHost host, DecodedRequest decoded, Instant hostNow, RandomGenerator random) {
    HostResponse response = host.handle(decoded, hostNow);
    if (response instanceof HostResponse.Answered answered) {
      byte[] message =
          KmsHostCodec.encodeResponse(
              decoded, answered.base(), ResponseRandom.generate(random), answered.hwid());
      return new StubResponse(Optional.of(Bytes.of(message)), HResult.S_OK);
    }
    return new StubResponse(Optional.empty(), response.hresult());
  }
}
