package io.github.kmsj.sim;

import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.InProcessActivation;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * How one request reaches a simulated host that is up: in process (the simulator) or over a
 * loopback socket ({@link LoopbackExchange}, the validation mode).
 */
interface Exchange extends AutoCloseable {

  /**
   * One activation: the client's clock reads {@code clientNow}, the host's {@code hostNow}.
   *
   * @param skewMinutes the client's clock offset, the same for every request of a fleet
   */
  ActivationResult exchange(
      SimHost host, ActivationRequest request, Instant clientNow, Instant hostNow, int skewMinutes);

  @Override
  default void close() {}

  /**
   * Through {@link InProcessActivation}: encoded, decoded, decided, counted, encoded and verified
   * as over the wire, without sockets.
   */
  static Exchange inProcess(RandomGenerator random) {
    return (host, request, clientNow, hostNow, skew) ->
        InProcessActivation.activate(host.host, request, clientNow, hostNow, random);
  }
}
