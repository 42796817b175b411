package io.github.kmsj.core.transport;

import io.github.kmsj.protocol.rpc.KmsCall;
import java.util.concurrent.CompletableFuture;

/**
 * Answers one KMS RPC call with its response stub: the seam between the transport and the host
 * ({@code KmsHost.rpcHandler()} is the usual implementation). The answer may complete later, for
 * example once the host's store has made the change durable; a handler must never block waiting for
 * that.
 */
@FunctionalInterface
public interface CallHandler {
  /**
   * The NDR response stub for {@code call}, a success or a failure stub; the future completes
   * exceptionally only when the call must not be answered at all (its connection is then closed).
   *
   * @param call the whole request
   * @param peer who sent it
   */
  CompletableFuture<byte[]> answer(KmsCall call, PeerInfo peer);
}
