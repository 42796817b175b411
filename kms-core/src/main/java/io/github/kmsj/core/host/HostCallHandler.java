package io.github.kmsj.core.host;

import io.github.kmsj.core.store.StoreException;
import io.github.kmsj.core.transport.CallHandler;
import io.github.kmsj.core.transport.PeerInfo;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.ResponseRandom;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.rpc.KmsCall;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link KmsHost} as the RPC transport sees it: decodes the request stub, reads the host's time
 * once ({@link KmsHost#now()}), lets the host decide, and encodes the answer at once on the calling
 * thread; the returned stub completes when the host's change is durable. A request that does not
 * decode is answered with {@code 0x8007000D}, never with an exception.
 *
 * <p>A request the store cannot record (its write failed, or the store is degraded) is answered
 * with the failure stub {@link HResult#IO_DEVICE} {@code 0x8007045D}, never with an RPC fault or a
 * closed connection: a Windows client shows the code and retries after its activation interval, as
 * it does for any failure, and the stub is what vlmcsd also sends for an internal error (with
 * {@code 0x8007000D}, which would wrongly blame the request). No stack trace is logged per request:
 * the store logs one line per degradation.
 */
final class HostCallHandler implements CallHandler {

  /** The largest KMS request accepted from a stub. */
  static final int MAX_REQUEST_MESSAGE = 1024;

  private final KmsHost host;

  HostCallHandler(KmsHost host) {
    this.host = host;
  }

  @Override
  public CompletableFuture<byte[]> answer(KmsCall call, PeerInfo peer) {
    long start = host.ticker().read();
    Instant now = host.now();
    Optional<InetSocketAddress> remote = Optional.of(peer.remote());
    DecodedRequest request;
    try {
      byte[] message = KmsStubCodec.decodeRequest(call.syntax(), call.stub(), MAX_REQUEST_MESSAGE);
      request = KmsHostCodec.decodeRequest(message);
    } catch (KmsProtocolException e) {
      HostResponse refused =
          new HostResponse.Refused(HResult.INVALID_DATA, "undecodable request: " + e.getMessage());
      host.publish(null, refused, now, remote, start);
      return CompletableFuture.completedFuture(
          KmsStubCodec.encodeFailure(call.syntax(), HResult.INVALID_DATA));
    }
    KmsHost.Pending p;
    try {
      p = host.decide(request, now, remote);
    } catch (StoreException e) {
      return CompletableFuture.completedFuture(unrecorded(call, request, e, now, remote, start));
    }
    if (p.shared().isPresent()) {
      ResponseRandom random = ResponseRandom.generate(host.random());
      return p.shared()
          .get()
          .handle(
              (response, e) -> {
                if (e == null) {
                  host.publish(request, response, now, remote, start);
                  return encode(call, request, response, random);
                }
                return failed(call, request, e, now, remote, start);
              });
    }
    HostResponse response = p.response();
    byte[] stub;
    if (response instanceof HostResponse.Answered answered) {
      byte[] message =
          KmsHostCodec.encodeResponse(
              request, answered.base(), ResponseRandom.generate(host.random()), answered.hwid());
      stub = KmsStubCodec.encodeResponse(call.syntax(), message);
    } else {
      stub = KmsStubCodec.encodeFailure(call.syntax(), response.hresult());
    }
    if (KmsHost.isDoneNormally(p.durable())) {
      host.publish(request, response, now, remote, start);
      return CompletableFuture.completedFuture(stub);
    }
    return p.durable()
        .handle(
            (v, e) -> {
              if (e == null) {
                host.publish(request, response, now, remote, start);
                return stub;
              }
              return failed(call, request, e, now, remote, start);
            });
  }

  /** The stub of an answer whose count a shared store gave, encoded on the store's thread. */
  private static byte[] encode(
      KmsCall call, DecodedRequest request, HostResponse response, ResponseRandom random) {
    if (response instanceof HostResponse.Answered answered) {
      byte[] message =
          KmsHostCodec.encodeResponse(request, answered.base(), random, answered.hwid());
      return KmsStubCodec.encodeResponse(call.syntax(), message);
    }
    return KmsStubCodec.encodeFailure(call.syntax(), response.hresult());
  }

  /** The failure stub when the store failed the change; any other failure is passed on. */
  private byte[] failed(
      KmsCall call,
      DecodedRequest request,
      Throwable e,
      Instant now,
      Optional<InetSocketAddress> remote,
      long start) {
    Throwable cause = e instanceof CompletionException ce ? ce.getCause() : e;
    if (cause instanceof StoreException se) {
      return unrecorded(call, request, se, now, remote, start);
    }
    throw e instanceof CompletionException ce ? ce : new CompletionException(e);
  }

  /** The failure stub for a request the store could not record, and its event. */
  private byte[] unrecorded(
      KmsCall call,
      DecodedRequest request,
      StoreException e,
      Instant now,
      Optional<InetSocketAddress> remote,
      long start) {
    HostResponse refused =
        new HostResponse.Refused(HResult.IO_DEVICE, "not recorded: " + e.getMessage());
    host.publish(request, refused, now, remote, start);
    return KmsStubCodec.encodeFailure(call.syntax(), HResult.IO_DEVICE);
  }
}
