package io.github.kmsj.core.transport;

import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.rpc.RpcFeatures;
import java.util.Objects;

/**
 * How each connection speaks RPC: the negotiation features, the decoder limits and the secondary
 * address announced in bind_ack.
 *
 * @param features NDR64 and BTFN support
 * @param limits decoder bounds
 * @param secondaryAddress the port string sent in bind_ack ("1688"); empty to send none
 */
public record ConnectionOptions(
    RpcFeatures features, DecodeLimits limits, String secondaryAddress) {
  /** A modern host on port 1688 with default limits. */
  public static final ConnectionOptions DEFAULT =
      new ConnectionOptions(RpcFeatures.MODERN, DecodeLimits.DEFAULT, "1688");

  /** Null checks. */
  public ConnectionOptions {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(secondaryAddress, "secondaryAddress");
  }

  /** The same options announcing another port. */
  public ConnectionOptions withPort(int port) {
    return new ConnectionOptions(features, limits, Integer.toString(port));
  }
}
