package io.github.kmsj.dns.migrate;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.BindOutcome;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.KmsSession;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.time.Ticker;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.ResponseV6;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Probes one KMS host without DNS, as the runbook's "verify the host" steps do: TCP reachability,
 * the coverage matrix, protocol versions, bind negotiation, the clock, the identity's stability and
 * the counts. Every request carries the uncounted probe CMID ({@link ProbeRequests}).
 */
final class HostProber {
  /** Just beyond the ±4 h a genuine host accepts. */
  private static final Duration BEYOND_SKEW = Duration.ofHours(4).plusMinutes(10);

  private static final Duration MAX_SKEW = Duration.ofHours(4);
  private static final Duration CLOCK_PRECISION = Duration.ofSeconds(5);
  private static final int STABILITY_CALLS = 3;

  private final ProductCatalog catalog;
  private final Function<InstantSource, KmsClient> clients;
  private final InstantSource clock;
  private final Duration timeout;
  private final int associations;
  private final Executor executor;
  private final Ticker ticker;

  HostProber(
      ProductCatalog catalog,
      Function<InstantSource, KmsClient> clients,
      InstantSource clock,
      Duration timeout,
      int associations,
      Executor executor,
      Ticker ticker) {
    this.catalog = catalog;
    this.clients = clients;
    this.clock = clock;
    this.timeout = timeout;
    this.associations = associations;
    this.executor = executor;
    this.ticker = ticker;
  }

  /** The first stage, run for both hosts at once: TCP connect and the coverage matrix. */
  CompletableFuture<Stage1> start(InetSocketAddress address) {
    return CompletableFuture.supplyAsync(() -> connect(address), executor)
        .thenCompose(
            connected ->
                connected.error().isPresent()
                    ? CompletableFuture.completedFuture(new Stage1(connected, List.of()))
                    : CoverageMatrix.probe(
                            clients.apply(clock),
                            Target.of(address),
                            catalog,
                            associations,
                            executor)
                        .thenApply(cells -> new Stage1(connected, cells)));
  }

  record Connected(Optional<Duration> time, Optional<String> error) {}

  record Stage1(Connected connected, List<CoverageMatrix.Cell> cells) {}

  private Connected connect(InetSocketAddress address) {
    long t = ticker.read();
    try (Socket s = new Socket()) {
      s.connect(
          address.isUnresolved()
              ? new InetSocketAddress(address.getHostString(), address.getPort())
              : address,
          (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      return new Connected(Optional.of(Duration.ofNanos(ticker.read() - t)), Optional.empty());
    } catch (IOException e) {
      return new Connected(
          Optional.empty(),
          Optional.of(
              (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                  + " after "
                  + millis(Duration.ofNanos(ticker.read() - t))));
    }
  }

  /** The rest of the profile, from a first stage. */
  HostProfile finish(InetSocketAddress address, Stage1 stage1) {
    String text = address.getHostString() + ":" + address.getPort();
    List<CoverageMatrix.Cell> cells = stage1.cells();
    Optional<KmsCountedProduct> sample = sampleProduct(cells);
    if (stage1.connected().error().isPresent() || sample.isEmpty()) {
      return new HostProfile(
          text,
          stage1.connected().time(),
          stage1.connected().error(),
          cells,
          false,
          Map.of(),
          Optional.empty(),
          new HostProfile.ClockReading(false, Optional.empty(), "no product granted to probe with"),
          List.of(),
          List.of(),
          counts(cells));
    }
    Target target = Target.of(address);
    KmsCountedProduct product = sample.get();
    Map<Integer, ActivationResult> versions = new LinkedHashMap<>();
    KmsClient client = clients.apply(clock);
    for (int v = 4; v <= 6; v++) {
      versions.put(
          v,
          client.activate(target, ProbeRequests.forProduct(catalog, product).version(v).build()));
    }
    List<String> ePids = new ArrayList<>();
    List<String> hwids = new ArrayList<>();
    Optional<BindOutcome> bind;
    try (KmsSession session = client.open(target)) {
      for (int i = 0; i < STABILITY_CALLS; i++) {
        ActivationResult r =
            session.activate(ProbeRequests.forProduct(catalog, product).version(6).build());
        if (r instanceof ActivationResult.Activated a) {
          ePids.add(a.ePid());
          a.hwid().ifPresent(h -> hwids.add(h.toHex().toUpperCase(Locale.ROOT)));
        } else if (r instanceof ActivationResult.BelowThreshold b) {
          ePids.add(b.response().response().base().ePid());
          if (b.response().response() instanceof ResponseV6 v6) {
            hwids.add(v6.hwid().toHex().toUpperCase(Locale.ROOT));
          }
        }
      }
      bind = session.bindOutcome();
    }
    boolean uncounted =
        cells.stream()
            .anyMatch(c -> c.outcome() == CoverageMatrix.Outcome.GRANTED && count(c.result()) == 0);
    return new HostProfile(
        text,
        stage1.connected().time(),
        Optional.empty(),
        cells,
        uncounted,
        versions,
        bind,
        clock(target, product),
        ePids,
        hwids,
        counts(cells));
  }

  /** A granted product to probe with: a Windows one if any, else the first. */
  private Optional<KmsCountedProduct> sampleProduct(List<CoverageMatrix.Cell> cells) {
    return cells.stream()
        .filter(c -> c.outcome() == CoverageMatrix.Outcome.GRANTED)
        .map(CoverageMatrix.Cell::product)
        .min(
            Comparator.comparing(
                    (KmsCountedProduct p) ->
                        !catalog
                            .application(p.applicationId())
                            .map(a -> a.name().startsWith("Windows"))
                            .orElse(false))
                .thenComparing(p -> p.guidStatus().toString())
                .thenComparing(KmsCountedProduct::name));
  }

  static int count(ActivationResult r) {
    if (r instanceof ActivationResult.Activated a) {
      return a.currentClientCount();
    }
    if (r instanceof ActivationResult.BelowThreshold b) {
      return b.currentClientCount();
    }
    return -1;
  }

  private List<HostProfile.ApplicationCount> counts(List<CoverageMatrix.Cell> cells) {
    Map<Guid, Integer> counts = new LinkedHashMap<>();
    Map<Guid, TreeSet<Integer>> policies = new LinkedHashMap<>();
    for (CoverageMatrix.Cell c : cells) {
      if (c.outcome() != CoverageMatrix.Outcome.GRANTED) {
        continue;
      }
      Guid app = c.product().applicationId();
      counts.merge(app, count(c.result()), Math::max);
      policies.computeIfAbsent(app, a -> new TreeSet<>()).add(c.product().requiredClientCount());
    }
    List<HostProfile.ApplicationCount> out = new ArrayList<>();
    counts.forEach(
        (app, n) ->
            out.add(
                new HostProfile.ApplicationCount(
                    app,
                    catalog.application(app).map(a -> a.name()).orElse(app.toString()),
                    n,
                    List.copyOf(policies.get(app)))));
    out.sort(Comparator.comparing(HostProfile.ApplicationCount::name));
    return out;
  }

  /**
   * The host clock's offset, found from the edge of the ±4 h window it accepts: a client clock x
   * ahead of ours is accepted while x - offset is at most 4 h, so the largest accepted x, less 4 h,
   * is the offset (and likewise at the lower edge).
   */
  private HostProfile.ClockReading clock(Target target, KmsCountedProduct product) {
    Optional<Boolean> ahead = accepted(target, product, BEYOND_SKEW);
    Optional<Boolean> behind = accepted(target, product, BEYOND_SKEW.negated());
    if (ahead.isEmpty() || behind.isEmpty()) {
      return new HostProfile.ClockReading(
          false,
          Optional.empty(),
          "the host gave an answer that is neither a grant nor 0xC004F06C");
    }
    if (ahead.get() && behind.get()) {
      return new HostProfile.ClockReading(
          false,
          Optional.empty(),
          "accepts a client clock 4 h 10 min ahead and behind: it does not check the client clock");
    }
    if (!ahead.get() && !behind.get()) {
      Optional<Duration> upper = edge(target, product, Duration.ZERO, BEYOND_SKEW);
      return reading(upper.map(u -> u.minus(MAX_SKEW)), "upper edge of the accepted window");
    }
    if (ahead.get()) {
      // The host clock is ahead of ours by more than 10 min: search the lower edge.
      Optional<Duration> lower = edge(target, product, Duration.ZERO, BEYOND_SKEW.negated());
      return reading(lower.map(l -> l.plus(MAX_SKEW)), "lower edge of the accepted window");
    }
    Optional<Duration> upper = edge(target, product, Duration.ZERO, BEYOND_SKEW);
    return reading(upper.map(u -> u.minus(MAX_SKEW)), "upper edge of the accepted window");
  }

  private static HostProfile.ClockReading reading(Optional<Duration> offset, String how) {
    return new HostProfile.ClockReading(
        true,
        offset,
        offset.isPresent()
            ? "from the " + how + " (±4 h), to " + CLOCK_PRECISION.toSeconds() + " s"
            : "the window's edge could not be found");
  }

  /**
   * The accepted shift nearest {@code refused}, by bisection between an accepted {@code accepted}
   * and a refused {@code refused}.
   */
  private Optional<Duration> edge(
      Target target, KmsCountedProduct product, Duration accepted, Duration refused) {
    Duration in = accepted;
    Duration out = refused;
    while (out.minus(in).abs().compareTo(CLOCK_PRECISION) > 0) {
      Duration mid = in.plus(out.minus(in).dividedBy(2));
      Optional<Boolean> ok = accepted(target, product, mid);
      if (ok.isEmpty()) {
        return Optional.empty();
      }
      if (ok.get()) {
        in = mid;
      } else {
        out = mid;
      }
    }
    return Optional.of(in);
  }

  /** Whether the host grants with our clock shifted by {@code shift}; empty for another answer. */
  private Optional<Boolean> accepted(Target target, KmsCountedProduct product, Duration shift) {
    InstantSource shifted =
        new InstantSource() {
          @Override
          public Instant instant() {
            return clock.instant().plus(shift);
          }
        };
    ActivationResult r =
        clients.apply(shifted).activate(target, ProbeRequests.forProduct(catalog, product).build());
    if (CoverageMatrix.outcome(r) == CoverageMatrix.Outcome.GRANTED) {
      return Optional.of(true);
    }
    if (r instanceof ActivationResult.Refused ref
        && ref.hresult().equals(HResult.INVALID_TIMESTAMP)) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }
}
