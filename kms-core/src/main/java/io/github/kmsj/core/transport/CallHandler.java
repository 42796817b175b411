package io.github.kmsj.core.transport;

import io.github.kmsj.protocol.rpc.KmsCall;

/**
 * Answers one KMS RPC call with its response stub: the seam between the transport and the host
 * ({@link io.github.kmsj.core.host.KmsHost#answer} is the usual implementation).
 */
@FunctionalInterface
public interface CallHandler {
  /**
   * The NDR response stub for {@code call}, a success or a failure stub; never null.
   *
   * @param call the whole request
   * @param peer who sent it
   */
  byte[] answer(KmsCall call, PeerInfo peer);
}
