package io.github.kmsj.dns.migrate;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.BindOutcome;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.LocatorException;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.core.time.Ticker;
import io.github.kmsj.dns.SrvLocator;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The checks of Microsoft's KMS host migration runbook, run against an old and a new host: the SRV
 * records, TCP reachability, each host probed without DNS, the coverage matrix, identity clashes,
 * the order a client following DNS tries them in, and (with both admin endpoints) which clients
 * moved and whether the old host can be retired.
 *
 * <p>Probes never inflate a count. Every request carries the reserved probe CMID ({@link
 * io.github.kmsj.core.host.KmsHost#PROBE_CMID}) and one workstation name: a kmsj host never counts
 * it, and any other host counts it as one ordinary machine, the same one at every check, so a
 * Microsoft host counts at most one machine per application however often it is checked. A host is
 * recognised as kmsj when one of its answers to the probe carries count 0: a host that counts the
 * requester never answers 0.
 *
 * <pre>{@code
 * MigrationReport report = MigrationCheck.builder()
 *     .oldHost(new InetSocketAddress("kms-old.corp.example", 1688))
 *     .newHost(new InetSocketAddress("kms-new.corp.example", 1688))
 *     .domain("corp.example")
 *     .build()
 *     .run();
 * }</pre>
 */
public final class MigrationCheck {
  private final InetSocketAddress oldHost;
  private final InetSocketAddress newHost;
  private final Optional<String> domain;
  private final boolean searchList;
  private final SrvLocator locator;
  private final ProductCatalog catalog;
  private final Duration timeout;
  private final int associations;
  private final InstantSource clock;
  private final Optional<AdminCheck> admin;

  private MigrationCheck(Builder b) {
    this.oldHost = b.oldHost;
    this.newHost = b.newHost;
    this.domain = Optional.ofNullable(b.domain);
    this.searchList = b.searchList;
    this.locator = b.locator;
    this.catalog = b.catalog;
    this.timeout = b.timeout;
    this.associations = b.associations;
    this.clock = b.clock;
    this.admin = Optional.ofNullable(b.admin);
  }

  /** A builder; the old and new host are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Runs every check; never throws for a network or protocol problem, which becomes a FAIL. */
  public MigrationReport run() {
    Ticker ticker = Ticker.system();
    long start = ticker.read();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2 * associations + 2, DaemonThreadFactory.named("kmsj-migrate-check"));
    try {
      HostProber prober =
          new HostProber(catalog, this::client, clock, timeout, associations, executor, ticker);
      long coverageStart = ticker.read();
      CompletableFuture<HostProber.Stage1> oldStage = prober.start(oldHost);
      CompletableFuture<HostProber.Stage1> newStage = prober.start(newHost);
      HostProber.Stage1 old1 = oldStage.join();
      HostProber.Stage1 new1 = newStage.join();
      Duration coverageElapsed = Duration.ofNanos(ticker.read() - coverageStart);
      CompletableFuture<HostProfile> oldProfile =
          CompletableFuture.supplyAsync(() -> prober.finish(oldHost, old1), executor);
      CompletableFuture<HostProfile> newProfile =
          CompletableFuture.supplyAsync(() -> prober.finish(newHost, new1), executor);
      HostProfile oldP = oldProfile.join();
      HostProfile newP = newProfile.join();

      List<Check> checks = new ArrayList<>();
      Optional<SrvSurvey> survey = Optional.empty();
      if (domain.isPresent() || searchList) {
        try {
          survey =
              Optional.of(
                  SrvSurvey.of(
                      locator,
                      domain.orElse(null),
                      a -> client(clock).activate(Target.of(a), sampleRequest(oldP, newP))));
          checks.add(MigrationChecks.records(survey.get(), oldHost, newHost));
        } catch (LocatorException e) {
          checks.add(
              new Check(
                  "dns.records",
                  CheckStatus.FAIL,
                  "SRV lookup failed: " + e.getMessage(),
                  e.attempts()));
        }
      }
      checks.add(MigrationChecks.reachability("tcp.old", "old", oldP));
      checks.add(MigrationChecks.reachability("tcp.new", "new", newP));
      checks.add(MigrationChecks.host("host.old", "old", oldP));
      checks.add(MigrationChecks.host("host.new", "new", newP));
      checks.add(MigrationChecks.stability("stability.old", "old", oldP));
      checks.add(MigrationChecks.stability("stability.new", "new", newP));
      checks.add(MigrationChecks.coverage(oldP, newP, coverageElapsed));
      checks.add(MigrationChecks.identity(oldP, newP));
      survey.ifPresent(s -> checks.add(MigrationChecks.order(s, oldHost, newHost)));
      admin.ifPresent(a -> checks.addAll(a.checks()));
      return new MigrationReport(checks, Duration.ofNanos(ticker.read() - start), coverageElapsed);
    } finally {
      executor.shutdownNow();
    }
  }

  private KmsClient client(InstantSource clock) {
    return KmsClient.builder().timeouts(timeout).clock(clock).build();
  }

  private io.github.kmsj.core.client.ActivationRequest sampleRequest(
      HostProfile oldP, HostProfile newP) {
    return ProbeRequests.forProduct(
            catalog,
            (oldP.cells().isEmpty() ? newP.cells() : oldP.cells())
                .stream()
                    .filter(c -> c.outcome() == CoverageMatrix.Outcome.GRANTED)
                    .map(CoverageMatrix.Cell::product)
                    .findFirst()
                    .orElseGet(() -> catalog.kmsCountedIds().iterator().next()))
        .build();
  }

  /**
   * Checks that need more than KMS: which clients moved and whether the old host can be retired,
   * from the hosts' admin endpoints.
   */
  @FunctionalInterface
  public interface AdminCheck {
    /** The checks, each PASS, WARN or FAIL with its evidence. */
    List<Check> checks();
  }

  /** Settings of a {@link MigrationCheck}, validated in {@link #build()}. */
  public static final class Builder {
    private InetSocketAddress oldHost;
    private InetSocketAddress newHost;
    private String domain;
    private boolean searchList;
    private SrvLocator locator;
    private ProductCatalog catalog;
    private Duration timeout = Duration.ofSeconds(5);
    private int associations = 4;
    private InstantSource clock = Scheduler.system();
    private AdminCheck admin;

    private Builder() {}

    /** The host being retired. */
    public Builder oldHost(InetSocketAddress address) {
      this.oldHost = Objects.requireNonNull(address, "oldHost");
      return this;
    }

    /** The host taking over. */
    public Builder newHost(InetSocketAddress address) {
      this.newHost = Objects.requireNonNull(address, "newHost");
      return this;
    }

    /**
     * The domain whose {@code _vlmcs._tcp} records clients follow (either spelling); without it
     * (and without {@link #searchList()}) the DNS checks are skipped.
     */
    public Builder domain(String domain) {
      this.domain = Objects.requireNonNull(domain, "domain");
      return this;
    }

    /** Checks the records of the locator's search list instead of one domain. */
    public Builder searchList() {
      this.searchList = true;
      return this;
    }

    /** The locator (and so the DNS server) for the DNS checks; default the system's resolvers. */
    public Builder locator(SrvLocator locator) {
      this.locator = Objects.requireNonNull(locator, "locator");
      return this;
    }

    /** The catalog whose KMS counted IDs make the coverage matrix; default the built-in one. */
    public Builder catalog(ProductCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** The timeout of every stage of every probe; default 5 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How many associations per host carry the coverage probes; 1–64, default 4. */
    public Builder associations(int associations) {
      if (associations < 1 || associations > 64) {
        throw new IllegalArgumentException("associations must be 1-64: " + associations);
      }
      this.associations = associations;
      return this;
    }

    /** The clock requests carry; default the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The admin-endpoint checks to add. */
    public Builder admin(AdminCheck admin) {
      this.admin = Objects.requireNonNull(admin, "admin");
      return this;
    }

    /**
     * The check.
     *
     * @throws IllegalArgumentException when a host is missing or both are the same
     */
    public MigrationCheck build() {
      if (oldHost == null || newHost == null) {
        throw new IllegalArgumentException("both the old and the new host are required");
      }
      if (oldHost.equals(newHost)) {
        throw new IllegalArgumentException(
            "the old and the new host are the same: "
                + oldHost.getHostString()
                + ":"
                + oldHost.getPort());
      }
      if (domain != null && searchList) {
        throw new IllegalArgumentException("give a domain or the search list, not both");
      }
      if (locator == null) {
        locator = SrvLocator.builder().build();
      }
      if (catalog == null) {
        catalog = ProductCatalog.builtIn();
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      return new MigrationCheck(this);
    }
  }

  static String percent(double p) {
    return String.format(Locale.ROOT, "%.1f%%", p * 100);
  }

  static Set<String> distinct(List<String> values) {
    return new LinkedHashSet<>(values);
  }

  static String bindText(Optional<BindOutcome> bind) {
    return bind.map(
            b ->
                "NDR64 "
                    + (b.acceptsNdr64() ? "accepted" : "refused")
                    + ", BTFN "
                    + (b.acceptsBtfn() ? "accepted" : "refused"))
        .orElse("bind not completed");
  }

  static String versionsText(Map<Integer, ActivationResult> versions) {
    return versions.entrySet().stream()
        .map(
            e ->
                "V"
                    + e.getKey()
                    + " "
                    + (CoverageMatrix.outcome(e.getValue()) == CoverageMatrix.Outcome.GRANTED
                        ? "answered"
                        : SrvSurvey.describe(e.getValue())))
        .collect(Collectors.joining(", "));
  }
}
