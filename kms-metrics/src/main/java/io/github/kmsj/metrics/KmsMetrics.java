package io.github.kmsj.metrics;

import io.github.kmsj.core.catalog.Application;
import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.StoreHealth;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.core.transport.ServerStats;
import io.github.kmsj.protocol.message.Guid;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for one kmsj host, bound to a registry the embedder owns. The request meters
 * come from the {@link RequestMetrics} listener the host was built with; the count gauges from the
 * host; the connection meters from its {@link KmsServer}, the store meters from its {@link
 * FileHostStore} and the DNS ones from a {@link DnsPublishResults}, each when given.
 *
 * <pre>{@code
 * RequestMetrics requests = new RequestMetrics();
 * KmsHost host = KmsHost.builder().listener(requests).build();
 * KmsServer server = KmsServer.builder(host.rpcHandler()).build().start();
 * KmsMetrics.builder(host, requests).server(server).build().bindTo(registry);
 * }</pre>
 *
 * <p>The meters, by their Prometheus names (Micrometer's names use dots instead of underscores and
 * leave out the unit and {@code _total}):
 *
 * <ul>
 *   <li>{@code kmsj_requests_total{outcome}}: processed requests by {@link RequestMetrics.Outcome}
 *       (WMI's names: {@code Failed}, {@code Unlicensed}, {@code Licensed}, ...); their sum is
 *       {@code KeyManagementServiceTotalRequests}
 *   <li>{@code kmsj_request_latency_seconds}: histogram of the host's processing time per request
 *       ({@code RequestEvent.processingTime}), buckets from 50 µs to 5 s
 *   <li>{@code kmsj_current_count{application, name}}: the current count per application the host's
 *       groups cover
 *   <li>{@code kmsj_connections_open}, {@code kmsj_connections_accepted_total}, {@code
 *       kmsj_connections_refused_total{reason="allow_list"|"address_limit"}}, {@code
 *       kmsj_connections_evicted_total}, {@code
 *       kmsj_connections_timed_out_total{reason="bind"|"slow_pdu"|"idle"}}, {@code
 *       kmsj_connections_protocol_errors_total}
 *   <li>{@code kmsj_store_healthy} (1 or 0), {@code kmsj_store_queue_depth}, {@code
 *       kmsj_store_force_seconds_count} and {@code _sum} (the journal's forces and their time),
 *       {@code kmsj_store_journal_bytes}
 *   <li>{@code kmsj_dns_publish_total{operation="publish"|"remove", result="success"|"failure"}}
 * </ul>
 *
 * <p>Everything but the latency timer is read when the registry is scraped, from counters the
 * library keeps anyway, so binding costs the request path one timer record.
 */
public final class KmsMetrics implements MeterBinder {

  /** The latency histogram's upper bounds. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofNanos(50_000),
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5)
  };

  private final KmsHost host;
  private final RequestMetrics requests;
  private final KmsServer server;
  private final FileHostStore store;
  private final DnsPublishResults dns;

  private KmsMetrics(Builder b) {
    this.host = b.host;
    this.requests = b.requests;
    this.server = b.server;
    this.store =
        b.store != null
            ? b.store
            : host.store() instanceof FileHostStore f ? f : null; // the host's own, if a file
    this.dns = b.dns;
  }

  /** A builder for the meters of {@code host}, which was built with {@code requests} listening. */
  public static Builder builder(KmsHost host, RequestMetrics requests) {
    return new Builder(host, requests);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    bindRequests(registry);
    bindCounts(registry);
    if (server != null) {
      bindServer(registry);
    }
    bindStore(registry);
    if (dns != null) {
      bindDns(registry);
    }
  }

  private void bindRequests(MeterRegistry registry) {
    for (RequestMetrics.Outcome outcome : RequestMetrics.Outcome.values()) {
      FunctionCounter.builder("kmsj.requests", requests, r -> r.count(outcome))
          .description("Requests processed by the KMS host, by outcome (WMI counter names)")
          .tag("outcome", outcome.label())
          .register(registry);
    }
    Timer timer =
        Timer.builder("kmsj.request.latency")
            .description("The host's processing time per request")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            // One time window instead of three: each record updates one set of buckets, not three.
            .distributionStatisticBufferLength(1)
            .register(registry);
    requests.addTimer(timer);
  }

  private void bindCounts(MeterRegistry registry) {
    Set<Guid> applications = new LinkedHashSet<>();
    for (HostKeyGroup group : host.coverage().groups()) {
      applications.add(group.applicationId());
    }
    for (Guid id : applications) {
      String name = host.catalog().application(id).map(Application::name).orElse(id.toString());
      Gauge.builder("kmsj.current.count", host, h -> h.currentCount(id, h.now()))
          .description("Distinct clients counted for the application over the last 30 days")
          .tags(Tags.of("application", id.toString(), "name", name))
          .strongReference(true)
          .register(registry);
    }
  }

  private void bindServer(MeterRegistry registry) {
    Gauge.builder("kmsj.connections.open", server, s -> s.stats().openConnections())
        .description("TCP connections open now")
        .strongReference(true)
        .register(registry);
    counter(registry, "kmsj.connections.accepted", "Connections accepted", ServerStats::accepted);
    counter(
        registry,
        "kmsj.connections.refused",
        "Connections closed at once (allow list, per-address limit)",
        ServerStats::refused,
        "reason",
        "allow_list");
    counter(
        registry,
        "kmsj.connections.refused",
        "Connections closed at once (allow list, per-address limit)",
        ServerStats::refusedByAddressLimit,
        "reason",
        "address_limit");
    counter(
        registry,
        "kmsj.connections.evicted",
        "Connections evicted at the connection cap",
        ServerStats::evicted);
    String timedOut = "Connections closed by a timeout";
    counter(
        registry,
        "kmsj.connections.timed.out",
        timedOut,
        ServerStats::bindTimeouts,
        "reason",
        "bind");
    counter(
        registry,
        "kmsj.connections.timed.out",
        timedOut,
        ServerStats::slowPduTimeouts,
        "reason",
        "slow_pdu");
    counter(
        registry,
        "kmsj.connections.timed.out",
        timedOut,
        ServerStats::idleClosed,
        "reason",
        "idle");
    counter(
        registry,
        "kmsj.connections.protocol.errors",
        "Connections closed because their input did not decode",
        ServerStats::protocolErrors);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToLongFunction<ServerStats> value,
      String... tags) {
    FunctionCounter.builder(name, server, s -> value.applyAsLong(s.stats()))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private void bindStore(MeterRegistry registry) {
    Gauge.builder(
            "kmsj.store.healthy",
            host,
            h -> h.storeHealth() instanceof StoreHealth.Degraded ? 0 : 1)
        .description("1 while the store acknowledges changes, 0 while it is degraded")
        .strongReference(true)
        .register(registry);
    if (store == null) {
      return;
    }
    gauge(
        registry,
        "kmsj.store.queue.depth",
        "Changes waiting for the store's writer",
        s -> s.queuedChanges(),
        null);
    gauge(
        registry,
        "kmsj.store.journal",
        "The current journal's size up to its last record",
        s -> s.journalBytes(),
        "bytes");
    FunctionTimer.builder(
            "kmsj.store.force",
            store,
            FileHostStore::journalForces,
            s -> s.journalForceTime().toNanos(),
            TimeUnit.NANOSECONDS)
        .description("The store's journal forces (fdatasync) and their time")
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<FileHostStore> value,
      String baseUnit) {
    Gauge.Builder<FileHostStore> b =
        Gauge.builder(name, store, value).description(description).strongReference(true);
    if (baseUnit != null) {
      b.baseUnit(baseUnit);
    }
    b.register(registry);
  }

  private void bindDns(MeterRegistry registry) {
    for (DnsPublishResults.Operation op : DnsPublishResults.Operation.values()) {
      for (boolean success : new boolean[] {true, false}) {
        FunctionCounter.builder("kmsj.dns.publish", dns, d -> d.count(op, success))
            .description("Outcomes of publishing or removing the host's SRV record, per domain")
            .tags(
                "operation",
                op.name().toLowerCase(java.util.Locale.ROOT),
                "result",
                success ? "success" : "failure")
            .register(registry);
      }
    }
  }

  @Override
  public String toString() {
    return "KmsMetrics[" + host + (server != null ? ", " + server : "") + "]";
  }

  /** What {@link KmsMetrics} reads besides the host; everything is optional. */
  public static final class Builder {
    private final KmsHost host;
    private final RequestMetrics requests;
    private KmsServer server;
    private FileHostStore store;
    private DnsPublishResults dns;

    private Builder(KmsHost host, RequestMetrics requests) {
      this.host = Objects.requireNonNull(host, "host");
      this.requests = Objects.requireNonNull(requests, "requests");
    }

    /** The server whose connections are measured; without one there are no connection meters. */
    public Builder server(KmsServer server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    /**
     * The store whose queue and forces are measured; default the host's own store when it is a
     * {@link FileHostStore}.
     */
    public Builder store(FileHostStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Where the DNS publisher's outcomes are counted; without it there is no DNS meter. */
    public Builder dns(DnsPublishResults dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      return this;
    }

    /** The binder. */
    public KmsMetrics build() {
      return new KmsMetrics(this);
    }
  }
}
