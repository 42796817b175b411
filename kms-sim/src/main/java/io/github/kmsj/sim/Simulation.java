package io.github.kmsj.sim;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.LifecycleListener;
import io.github.kmsj.core.client.LifecycleState;
import io.github.kmsj.core.client.LifecycleTransition;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.CloneDetection;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Runs a {@link Scenario} on one virtual clock: each host is a real {@link KmsHost} (its policy and
 * ledger) without a store, each machine a real {@code ClientLifecycle} whose attempts go to the
 * host it chooses, all on one {@link ManualScheduler}, without sockets. A year of 10,000 clients
 * runs in seconds (kms-bench {@code SimulatorBench}). Deterministic: the same scenario gives the
 * same result.
 *
 * <p>Notes. Every time-dependent thing is a task on the scheduler, so ties run in the order they
 * were scheduled: a scenario's own events (arrivals, retirements) are scheduled before the clients'
 * attempts at the same instant. The series is sampled between advances, after everything due at the
 * sampling time ran.
 */
public final class Simulation {

  /** Told after each simulated day. */
  @FunctionalInterface
  public interface Progress {
    /** Day {@code day} of {@code days} is done. */
    void onDay(int day, int days);

    /** Tells nothing. */
    Progress NONE = (day, days) -> {};
  }

  final Scenario scenario;
  final ManualScheduler scheduler;
  final Instant start;
  private final long startSecond;
  final List<SimHost> hosts = new ArrayList<>();
  final List<FleetRun> fleets = new ArrayList<>();
  final List<Guid> applicationIds = new ArrayList<>();
  final List<Application> applications = new ArrayList<>();
  final SrvTable dns;
  final SplittableRandom dnsRandom;
  final StateTally states = new StateTally();
  Exchange exchange;

  private Simulation(Scenario scenario, ProductCatalog catalog) {
    this.scenario = scenario;
    this.start = scenario.startInstant();
    this.startSecond = start.getEpochSecond();
    this.scheduler = new ManualScheduler(start);
    this.dnsRandom = new SplittableRandom(scenario.seed() ^ 0x5EED_D115L);
    for (int i = 0; i < scenario.hosts().size(); i++) {
      Scenario.Host h = scenario.hosts().get(i);
      hosts.add(new SimHost(i, h, buildHost(h, catalog, i)));
    }
    this.dns = new SrvTable(scenario.dns(), hosts);
    Map<Guid, TreeSet<Integer>> thresholds = new LinkedHashMap<>();
    for (int i = 0; i < scenario.fleets().size(); i++) {
      Scenario.Fleet f = scenario.fleets().get(i);
      KmsCountedProduct product = resolve(catalog, f, i);
      thresholds
          .computeIfAbsent(product.applicationId(), k -> new TreeSet<>())
          .add(product.requiredClientCount());
      fleets.add(new FleetRun(this, i, f, catalog, product));
    }
    thresholds.forEach(
        (id, n) -> {
          applicationIds.add(id);
          String name = catalog.application(id).map(a -> a.name()).orElse(id.toString());
          applications.add(new Application(key(id, name), name, id.toString(), List.copyOf(n)));
        });
    for (FleetRun f : fleets) {
      f.application = applicationIds.indexOf(f.product.applicationId());
    }
  }

  /** Runs {@code scenario} against the built-in catalog. */
  public static SimulationResult run(Scenario scenario) {
    return run(scenario, ProductCatalog.builtIn(), Progress.NONE);
  }

  /**
   * Runs {@code scenario}.
   *
   * @throws ScenarioException if a product or host-key group does not resolve against {@code
   *     catalog}
   */
  public static SimulationResult run(Scenario scenario, ProductCatalog catalog, Progress progress) {
    return run(scenario, catalog, progress, s -> Exchange.inProcess(s.cryptoRandom()));
  }

  static SimulationResult run(
      Scenario scenario,
      ProductCatalog catalog,
      Progress progress,
      Function<Simulation, Exchange> exchange) {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(progress, "progress");
    Simulation sim = new Simulation(scenario, catalog);
    try (Exchange e = exchange.apply(sim)) {
      sim.exchange = e;
      return sim.run(progress);
    }
  }

  SplittableRandom cryptoRandom() {
    return new SplittableRandom(scenario.seed() ^ 0xC0DE_5A17L);
  }

  private KmsHost buildHost(Scenario.Host h, ProductCatalog catalog, int index) {
    KmsHost.Builder b =
        KmsHost.builder()
            .catalog(catalog)
            .time(scheduler)
            .random(new SplittableRandom(scenario.seed() * 1_000_003L + index))
            .activationInterval(Duration.ofMinutes(h.activationIntervalMinutes()))
            .renewalInterval(Duration.ofMinutes(h.renewalIntervalMinutes()))
            .maxClockSkew(Duration.ofMinutes(h.maxClockSkewMinutes()));
    if (h.hostKeyGroups() != null) {
      for (int g = 0; g < h.hostKeyGroups().size(); g++) {
        String id = h.hostKeyGroups().get(g);
        if (catalog.group(id).isEmpty()) {
          throw new ScenarioException(
              "hosts["
                  + index
                  + "].hostKeyGroups["
                  + g
                  + "]: no host-key group '"
                  + id
                  + "' in the catalog (nearest: "
                  + String.join(", ", catalog.nearestGroupIds(id))
                  + "; kmsj groups lists them)");
        }
      }
      b.hostKeyGroups(h.hostKeyGroups());
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ScenarioException("hosts[" + index + "]: " + e.getMessage(), e);
    }
  }

  private static KmsCountedProduct resolve(ProductCatalog catalog, Scenario.Fleet f, int index) {
    String p = f.product().strip();
    try {
      Guid id = Guid.parse(p);
      return catalog
          .kmsCountedId(id)
          .orElseThrow(
              () ->
                  new ScenarioException(
                      "fleets[" + index + "].product: no KMS counted ID " + p + " in the catalog"));
    } catch (IllegalArgumentException notAGuid) {
      return catalog
          .findProductByName(p)
          .orElseThrow(
              () ->
                  new ScenarioException(
                      "fleets["
                          + index
                          + "].product: no single catalog product matches '"
                          + p
                          + "' (nearest: "
                          + String.join(", ", catalog.nearestNames(p))
                          + "; kmsj products lists them)"));
    }
  }

  private static String key(Guid id, String name) {
    return switch (id.toString()) {
      case "55c92734-d682-4d71-983e-d6ec3f16059f" -> "windows";
      case "59a52881-a989-479d-af46-f275c6370663" -> "office2010";
      case "0ff1ce15-a989-479d-af46-f275c6370663" -> "office";
      default -> name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "");
    };
  }

  /** Minutes since day 0 at {@code t} (floor). */
  long minuteOf(Instant t) {
    return Math.floorDiv(t.getEpochSecond() - startSecond, 60);
  }

  /**
   * The CMID of clone group {@code group} of fleet {@code fleet} after {@code generation} images.
   */
  Guid cmid(int fleet, int group, int generation) {
    long k = scenario.seed();
    k = k * 1_000_003L + fleet;
    k = k * 1_000_000_007L + group;
    k = k * 131L + generation;
    SplittableRandom r = new SplittableRandom(k);
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L; // a version-4 UUID, as Windows makes them
    long lo = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new Guid(hi, lo);
  }

  private Instant at(long minute) {
    return start.plusSeconds(minute * 60);
  }

  private SimulationResult run(Progress progress) {
    for (FleetRun f : fleets) {
      f.schedule();
    }
    for (SimHost h : hosts) {
      if (h.spec.retireDay() != null) {
        scheduler.scheduleAt(
            at(h.spec.retireDay() * 1440L), () -> h.dependentsAtRetirement = h.dependents);
      }
    }
    int perDay = 1440 / scenario.sampleMinutes();
    int total = scenario.days() * perDay;
    List<Sample> samples = new ArrayList<>(total + 1);
    long[] lastRequests = new long[hosts.size()];
    scheduler.advance(Duration.ZERO);
    samples.add(sample(0, lastRequests));
    for (int k = 1; k <= total; k++) {
      scheduler.advanceTo(at((long) k * scenario.sampleMinutes()));
      samples.add(sample(k, lastRequests));
      if (k % perDay == 0) {
        progress.onDay(k / perDay, scenario.days());
      }
    }
    return new SimulationResult(
        scenario.name(),
        scenario.start(),
        scenario.days(),
        scenario.sampleMinutes(),
        hosts.stream().map(SimHost::name).toList(),
        applications,
        samples,
        summarize(samples));
  }

  private Sample sample(int k, long[] lastRequests) {
    long minute = (long) k * scenario.sampleMinutes();
    Instant now = at(minute);
    List<Sample.HostSample> hs = new ArrayList<>(hosts.size());
    for (SimHost h : hosts) {
      List<Integer> counts = new ArrayList<>(applicationIds.size());
      for (Guid app : applicationIds) {
        counts.add(h.host.currentCount(app, now));
      }
      hs.add(
          new Sample.HostSample(
              h.isUp(minute), counts, h.requests - lastRequests[h.index], h.dependents));
      lastRequests[h.index] = h.requests;
    }
    int[] s = states.counts;
    int clients = 0;
    for (int c : s) {
      clients += c;
    }
    return new Sample(
        minute / 1440.0,
        clients,
        s[LifecycleState.LICENSED.ordinal()],
        s[LifecycleState.OOB_GRACE.ordinal()],
        s[LifecycleState.OOT_GRACE.ordinal()],
        s[LifecycleState.NOTIFICATION.ordinal()],
        0,
        hs);
  }

  private Summary summarize(List<Sample> samples) {
    Sample last = samples.get(samples.size() - 1);
    Instant end = at(scenario.days() * 1440L);
    List<Summary.HostSummary> hostSummaries = new ArrayList<>();
    Map<String, Set<String>> namesByCmid = new HashMap<>();
    for (SimHost h : hosts) {
      int i = h.index;
      int lastActive = -1;
      for (int k = 0; k < samples.size(); k++) {
        Sample.HostSample x = samples.get(k).hosts().get(i);
        if (x.dependents() > 0 || x.requests() > 0) {
          lastActive = k;
        }
      }
      Double idleFrom;
      if (lastActive == samples.size() - 1) {
        idleFrom = null;
      } else if (lastActive < 0) {
        idleFrom = 0.0;
      } else {
        idleFrom =
            samples.get(lastActive).hosts().get(i).dependents() == 0
                ? samples.get(lastActive).day()
                : samples.get(lastActive + 1).day();
      }
      Integer retire = h.spec.retireDay();
      Double safe = idleFrom != null && (retire == null || idleFrom <= retire) ? idleFrom : null;
      hostSummaries.add(
          new Summary.HostSummary(
              h.name(),
              h.requests,
              last.hosts().get(i).counts(),
              idleFrom,
              safe,
              retire,
              retire == null || h.dependentsAtRetirement < 0 ? null : h.dependentsAtRetirement));
      // The host's own clone rule, over every record it still keeps (90 days by default).
      Duration wholeRun = Duration.ofDays(scenario.days() + 1L);
      for (ClientRecord c : h.host.state(end).ledger().clients()) {
        if (CloneDetection.isClone(c, end, wholeRun)) {
          namesByCmid
              .computeIfAbsent(c.applicationId() + "/" + c.cmid(), x -> new HashSet<>())
              .addAll(c.workstationNames());
        }
      }
    }
    int clones = 0;
    int clonedMachines = 0;
    for (Set<String> names : namesByCmid.values()) {
      clones++;
      clonedMachines += names.size();
    }
    Double firstNotification =
        states.firstNotification == null
            ? null
            : Duration.between(start, states.firstNotification).toMinutes() / 1440.0;
    return new Summary(
        firstNotification,
        last.clients(),
        last.licensed(),
        last.clients() == 0 ? 0 : last.licensed() / (double) last.clients(),
        clones,
        clonedMachines,
        hostSummaries);
  }

  /** A fleet being run: its resolved product, request template and machines. */
  static final class FleetRun {
    final Simulation sim;
    final int index;
    final Scenario.Fleet spec;
    final KmsCountedProduct product;
    final ActivationRequest.Builder template;
    final int skewMinutes;
    final SimHost fixedHost;
    final boolean caching;
    final SimClient[] clients;
    int application;
    private int arrived;
    private boolean closed;

    FleetRun(
        Simulation sim,
        int index,
        Scenario.Fleet spec,
        ProductCatalog catalog,
        KmsCountedProduct product) {
      this.sim = sim;
      this.index = index;
      this.spec = spec;
      this.product = product;
      this.template = ActivationRequest.forProduct(catalog, product);
      this.skewMinutes = spec.clockSkewMinutes();
      this.fixedHost =
          spec.kmsHost() == null
              ? null
              : sim.hosts.stream()
                  .filter(h -> h.name().equals(spec.kmsHost()))
                  .findFirst()
                  .orElseThrow();
      this.caching = spec.hostCaching() != null ? spec.hostCaching() : sim.scenario.hostCaching();
      this.clients = new SimClient[spec.count()];
    }

    void schedule() {
      sim.scheduler.scheduleAt(sim.at(spec.arrival().arrivalMinute(0)), this::arriveNext);
      if (spec.retireDay() != null) {
        sim.scheduler.scheduleAt(sim.at(spec.retireDay() * 1440L), this::retireAll);
      }
      if (spec.hardwareChangeDay() != null) {
        sim.scheduler.scheduleAt(
            sim.at(spec.hardwareChangeDay() * 1440L),
            () -> {
              Instant now = sim.scheduler.instant();
              for (int i = 0; i < arrived; i++) {
                clients[i].hardwareChange(now);
              }
            });
      }
    }

    /** Installs every machine due now, then schedules the next arrival time. */
    private void arriveNext() {
      if (closed) {
        return;
      }
      Instant now = sim.scheduler.instant();
      long minute = spec.arrival().arrivalMinute(arrived);
      while (arrived < clients.length && spec.arrival().arrivalMinute(arrived) == minute) {
        SimClient c = new SimClient(sim, this, arrived);
        clients[arrived++] = c;
        c.install(now);
        if (spec.lifetimeDays() != null) {
          sim.scheduler.schedule(Duration.ofDays(spec.lifetimeDays()), c::retire);
        }
        if (spec.reimageEveryDays() != null) {
          Duration every = Duration.ofDays(spec.reimageEveryDays());
          c.reimageTimer =
              sim.scheduler.scheduleEvery(every, every, () -> c.reimage(sim.scheduler.instant()));
        }
      }
      if (arrived < clients.length) {
        sim.scheduler.scheduleAt(sim.at(spec.arrival().arrivalMinute(arrived)), this::arriveNext);
      }
    }

    private void retireAll() {
      closed = true;
      for (int i = 0; i < arrived; i++) {
        clients[i].retire();
      }
    }
  }

  /** Clients by licence state, kept up to date by the lifecycles' transitions. */
  static final class StateTally implements LifecycleListener {
    final int[] counts = new int[LifecycleState.values().length];
    Instant firstNotification;

    void entered(LifecycleState s) {
      counts[s.ordinal()]++;
    }

    void left(LifecycleState s) {
      counts[s.ordinal()]--;
    }

    @Override
    public void onTransition(LifecycleTransition t) {
      counts[t.from().ordinal()]--;
      counts[t.to().ordinal()]++;
      if (t.to() == LifecycleState.NOTIFICATION && firstNotification == null) {
        firstNotification = t.at();
      }
    }
  }
}
