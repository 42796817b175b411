package io.github.kmsj.sim;

import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.core.transport.KmsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Requests over real loopback sockets: a {@link KmsServer} per simulated host, serving that host's
 * {@code KmsHost}, and a real {@link KmsClient} per clock skew, whose clock is the simulation's
 * scheduler. The servers keep the system scheduler for their own idle timers (as kms-test's
 * KmsTestHost does): request time is the host's clock, which is the simulation's.
 */
final class LoopbackExchange implements Exchange {
  private final List<KmsServer> servers = new ArrayList<>();
  private final List<Target> targets = new ArrayList<>();
  private final Map<Integer, KmsClient> clients = new HashMap<>();
  private final Scheduler time;
  private final long seed;

  LoopbackExchange(Simulation sim) {
    this.time = sim.scheduler;
    this.seed = sim.scenario.seed();
    try {
      for (SimHost h : sim.hosts) {
        KmsServer server =
            KmsServer.builder(h.host.rpcHandler())
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .eventLoops(1)
                .daemon(true)
                .build()
                .start();
        servers.add(server);
        targets.add(
            Target.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port())));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public ActivationResult exchange(
      SimHost host, ActivationRequest request, Instant clientNow, Instant hostNow, int skew) {
    KmsClient client =
        clients.computeIfAbsent(
            skew,
            s -> {
              InstantSource clock = () -> time.instant().plusSeconds(s * 60L);
              return KmsClient.builder()
                  .clock(clock)
                  .random(new SplittableRandom(seed ^ s))
                  .timeouts(Duration.ofSeconds(10))
                  .build();
            });
    return client.activate(targets.get(host.index), request);
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (KmsServer s : servers) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    servers.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
