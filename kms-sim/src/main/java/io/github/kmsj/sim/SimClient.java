package io.github.kmsj.sim;

import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.ClientLifecycle;
import io.github.kmsj.core.client.LifecycleSnapshot;
import io.github.kmsj.core.client.LifecycleState;
import io.github.kmsj.core.client.Stage;
import io.github.kmsj.core.client.StageTimings;
import io.github.kmsj.core.time.Cancellable;
import io.github.kmsj.protocol.message.Guid;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One simulated machine: its request, its real {@link ClientLifecycle}, and the host choice a
 * Windows client makes (docs/SIMULATOR.md, "Host choice"): the host set by hand if there is one;
 * else the cached host (the last that answered) while caching is on and it accepts a connection;
 * else the published SRV records in RFC 2782 order, each host tried once, the first that accepts a
 * connection used. Any answer (activated, below threshold, refused) ends the attempt and becomes
 * the cached host; a host that refuses the connection is skipped.
 */
final class SimClient {
  private final Simulation sim;
  final Simulation.FleetRun fleet;
  final int index;
  private final String workstationName;
  private ActivationRequest request;
  private ClientLifecycle lifecycle;
  private SimHost cached;
  private int generation;
  boolean retired;

  /** The repeating re-image timer, cancelled on retirement. */
  Cancellable reimageTimer;

  SimClient(Simulation sim, Simulation.FleetRun fleet, int index) {
    this.sim = sim;
    this.fleet = fleet;
    this.index = index;
    this.workstationName = String.format("%s-%05d", fleet.spec.name(), index + 1);
  }

  /** Installs the machine at {@code now}: a CMID of this generation, out-of-box grace. */
  void install(Instant now) {
    Guid cmid = sim.cmid(fleet.index, index / fleet.spec.clones(), generation);
    request = fleet.template.cmid(cmid).workstationName(workstationName).build();
    lifecycle =
        ClientLifecycle.builder()
            .attempt(this::attempt)
            .scheduler(sim.scheduler)
            .listener(sim.states)
            .build();
    sim.states.entered(LifecycleState.OOB_GRACE);
    lifecycle.start(now);
  }

  /** Re-images the machine: the old installation stops, a new one with a new CMID starts. */
  void reimage(Instant now) {
    if (retired) {
      return;
    }
    remove();
    generation++;
    install(now);
  }

  /** The machine's hardware changes beyond tolerance at {@code now}. */
  void hardwareChange(Instant now) {
    if (!retired) {
      lifecycle.hardwareChanged(now);
    }
  }

  /** Switches the machine off for good. */
  void retire() {
    if (retired) {
      return;
    }
    retired = true;
    if (reimageTimer != null) {
      reimageTimer.cancel();
    }
    remove();
  }

  private void remove() {
    lifecycle.stop();
    sim.states.left(lifecycle.state());
    cache(null);
  }

  LifecycleState state() {
    return lifecycle.state();
  }

  private void cache(SimHost host) {
    if (cached == host) {
      return;
    }
    if (cached != null) {
      cached.dependents--;
    }
    if (host != null) {
      host.dependents++;
    }
    cached = host;
  }

  private ActivationResult attempt(Instant now, LifecycleSnapshot current) {
    long minute = sim.minuteOf(now);
    ActivationRequest sent =
        request.withStatus(current.state().licenseStatus(), current.bindingExpirationMinutes(now));
    Instant clientNow = fleet.skewMinutes == 0 ? now : now.plusSeconds(fleet.skewMinutes * 60L);
    if (fleet.fixedHost != null) {
      return fleet.fixedHost.isUp(minute)
          ? send(fleet.fixedHost, sent, clientNow, now)
          : refused(fleet.fixedHost);
    }
    SimHost tried = null;
    if (fleet.caching && cached != null) {
      if (cached.isUp(minute)) {
        return send(cached, sent, clientNow, now);
      }
      tried = cached;
    }
    for (SimHost h : sim.dns.order(minute, sim.dnsRandom)) {
      if (h != tried && h.isUp(minute)) {
        return send(h, sent, clientNow, now);
      }
    }
    return NO_HOST;
  }

  private ActivationResult send(
      SimHost host, ActivationRequest sent, Instant clientNow, Instant now) {
    host.requests++;
    ActivationResult result = sim.exchange.exchange(host, sent, clientNow, now, fleet.skewMinutes);
    if (!(result instanceof ActivationResult.TransportFailure)) {
      cache(host);
    }
    return result;
  }

  private static ActivationResult refused(SimHost host) {
    return new ActivationResult.TransportFailure(
        Stage.CONNECT,
        host.name(),
        "connection refused: the host is down",
        Optional.empty(),
        List.of(),
        Optional.empty(),
        StageTimings.ZERO);
  }

  private static final ActivationResult NO_HOST =
      new ActivationResult.NoHostFound(
          "_vlmcs._tcp",
          List.of("no published host accepted a connection"),
          List.of(),
          Optional.empty(),
          StageTimings.ZERO);
}
