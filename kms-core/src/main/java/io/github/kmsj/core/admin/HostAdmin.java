package io.github.kmsj.core.admin;

import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.host.HostSettings;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestCounters;
import io.github.kmsj.core.host.RequestCountersSnapshot;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.CloneDetection;
import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.HostStateExporter;
import io.github.kmsj.core.store.HostStore;
import io.github.kmsj.core.store.StoreHealth;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.Guid;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live administration of a running KMS host, for an embedder as for the CLI and the HTTP API:
 * the {@code slmgr /dlv}-like {@link #view()}, the settings that change without a restart ({@code
 * /sai}, {@code /sri}, {@code /sprt}, {@code /sdns}, {@code /cdns}, {@code /cpri}, {@code /spri},
 * DNS priority, weight and domains), the client list, and a live export.
 *
 * <p>Every change takes effect for the next request and is audited: an {@link AuditEntry} (what,
 * old → new, from where) is logged at INFO, kept in a bounded list the view shows, and published to
 * the {@link AdminListener}s (the CLI's saved configuration is one). A value out of range is
 * refused with an {@link IllegalArgumentException} whose one-line message names the setting and the
 * value, and changes nothing. Thread-safe: changes are serialised; views and queries do not wait
 * for them.
 */
public final class HostAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(HostAdmin.class);

  /** How many audit entries are kept in memory (the oldest go first). */
  public static final int AUDIT_CAPACITY = 256;

  /** The setting names, as audit entries and the saved configuration name them. */
  public static final String ACTIVATION_INTERVAL = "activation-interval";

  /** See {@link #ACTIVATION_INTERVAL}. */
  public static final String RENEWAL_INTERVAL = "renewal-interval";

  /** See {@link #ACTIVATION_INTERVAL}. */
  public static final String PORT = "port";

  /** See {@link #ACTIVATION_INTERVAL}. */
  public static final String DNS_PUBLISH = "dns-publish";

  /** See {@link #ACTIVATION_INTERVAL}. */
  public static final String DNS_PRIORITY = "dns-priority";

  /** See {@link #ACTIVATION_INTERVAL}. */
  public static final String DNS_WEIGHT = "dns-weight";

  /** See {@link #ACTIVATION_INTERVAL}. */
  public static final String DNS_EXTRA = "dns-extra";

  /** See {@link #ACTIVATION_INTERVAL}. */
  public static final String LOW_PRIORITY = "low-priority";

  private final KmsHost host;
  private final Optional<KmsServer> server;
  private final Optional<RequestCounters> counters;
  private final Optional<DnsPublishing> dns;
  private final List<AdminListener> listeners;
  private final String version;
  private final Instant startedAt;
  private final ArrayDeque<AuditEntry> audit = new ArrayDeque<>();
  private final Object changes = new Object();

  private HostAdmin(Builder b) {
    this.host = b.host;
    this.server = Optional.ofNullable(b.server);
    this.counters = Optional.ofNullable(b.counters);
    this.dns = Optional.ofNullable(b.dns);
    this.listeners = List.copyOf(b.listeners);
    this.version = b.version;
    this.startedAt = host.now();
  }

  /** A builder for the administration of {@code host}. */
  public static Builder builder(KmsHost host) {
    return new Builder(host);
  }

  /** The host administered. */
  public KmsHost host() {
    return host;
  }

  /** The server, when one was given. */
  public Optional<KmsServer> server() {
    return server;
  }

  /** The DNS publishing control, when one was given. */
  public Optional<DnsPublishing> dnsPublishing() {
    return dns;
  }

  // ---- reading

  /**
   * Per application of the host-key groups, in their order, the N policies of the products it
   * activates: the thresholds its count is shown and forecast against.
   */
  private Map<Guid, TreeSet<Integer>> thresholds() {
    ProductCatalog catalog = host.catalog();
    Map<Guid, TreeSet<Integer>> thresholds = new LinkedHashMap<>();
    for (HostKeyGroup g : host.coverage().groups()) {
      TreeSet<Integer> t = thresholds.computeIfAbsent(g.applicationId(), k -> new TreeSet<>());
      g.activates()
          .forEach(
              e ->
                  catalog
                      .kmsCountedId(e.kmsCountedId())
                      .map(KmsCountedProduct::requiredClientCount)
                      .filter(min -> min > 0)
                      .ifPresent(t::add));
    }
    return thresholds;
  }

  /** The whole {@code /dlv}-like view now; costs O(applications + groups), not O(clients). */
  public HostView view() {
    Instant now = host.now();
    HostSettings settings = host.settings();
    ProductCatalog catalog = host.catalog();
    HostIdentity identity = host.identity();
    List<HostView.Group> groups = new ArrayList<>();
    Map<Guid, TreeSet<Integer>> thresholds = thresholds();
    for (HostKeyGroup g : host.coverage().groups()) {
      List<HostView.Product> products = new ArrayList<>();
      g.activates()
          .forEach(
              e -> {
                Optional<KmsCountedProduct> p = catalog.kmsCountedId(e.kmsCountedId());
                int min = p.map(KmsCountedProduct::requiredClientCount).orElse(0);
                products.add(
                    new HostView.Product(
                        e.kmsCountedId(), p.map(KmsCountedProduct::name).orElse(e.name()), min));
              });
      groups.add(
          new HostView.Group(
              g.id(),
              g.name(),
              g.applicationId(),
              g.hostKind().toString(),
              identity.ePid(g.id()).map(Epid::format).orElse(""),
              products));
    }
    List<HostView.Count> counts = new ArrayList<>();
    for (Map.Entry<Guid, TreeSet<Integer>> e : thresholds.entrySet()) {
      Guid app = e.getKey();
      counts.add(
          new HostView.Count(
              app,
              catalog.application(app).map(a -> a.name()).orElse(app.toString()),
              host.currentCount(app, now),
              List.copyOf(e.getValue()),
              host.countHistory(app),
              host.suspectedCloneCount(app, now)));
    }
    List<String> listening =
        server
            .map(s -> s.localAddresses().stream().map(HostAdmin::format).toList())
            .orElse(List.of());
    HostStore store = host.store();
    Optional<Long> journal =
        store instanceof FileHostStore f ? Optional.of(f.journalBytes()) : Optional.empty();
    boolean low = server.map(KmsServer::isLowPriority).orElse(false);
    return new HostView(
        version,
        now,
        startedAt,
        Duration.between(startedAt, now),
        listening,
        server.map(KmsServer::port).orElse(0),
        identity.hwid().toHex(),
        groups,
        settings.activationInterval(),
        settings.renewalInterval(),
        counts,
        counters.map(c -> wmiCounters(c.snapshot())).orElse(Map.of()),
        dns.map(DnsPublishing::state),
        low,
        low ? "low" : "normal",
        new HostView.Store(
            store == HostStore.none() ? "no store" : store.toString(),
            healthText(host.storeHealth()),
            host.clientCount(),
            counts.size(),
            journal,
            store.clusterView()),
        audit());
  }

  /** {@code HEALTHY}, or {@code DEGRADED} with since when and why, for people and JSON alike. */
  static String healthText(StoreHealth health) {
    if (health instanceof StoreHealth.Degraded d) {
      return "DEGRADED since "
          + d.since()
          + (d.retrying() ? " (retrying): " : " (until restart): ")
          + d.reason();
    }
    return "HEALTHY";
  }

  /** The request counters by their WMI property names, in WMI's order. */
  static Map<String, Long> wmiCounters(RequestCountersSnapshot s) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("KeyManagementServiceTotalRequests", s.totalRequests());
    m.put("KeyManagementServiceFailedRequests", s.failedRequests());
    m.put("KeyManagementServiceUnlicensedRequests", s.unlicensedRequests());
    m.put("KeyManagementServiceLicensedRequests", s.licensedRequests());
    m.put("KeyManagementServiceOOBGraceRequests", s.oobGraceRequests());
    m.put("KeyManagementServiceOOTGraceRequests", s.ootGraceRequests());
    m.put("KeyManagementServiceNonGenuineGraceRequests", s.nonGenuineGraceRequests());
    m.put("KeyManagementServiceNotificationRequests", s.notificationRequests());
    m.put("KeyManagementServiceExtendedGraceRequests", s.extendedGraceRequests());
    m.put("KeyManagementServiceUnknownStatusRequests", s.unknownStatusRequests());
    return m;
  }

  private static String format(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    if (a.getAddress() instanceof Inet6Address) {
      int scope = host.indexOf('%');
      host = "[" + (scope >= 0 ? host.substring(0, scope) : host) + "]";
    }
    return host + ":" + a.getPort();
  }

  /** Every setting that changes at run time, as it is now. */
  public AdminSettings settings() {
    HostSettings s = host.settings();
    return new AdminSettings(
        s.activationInterval(),
        s.renewalInterval(),
        server.map(KmsServer::port),
        server.map(KmsServer::isLowPriority).orElse(false),
        dns.map(DnsPublishing::state)
            .map(
                st ->
                    new AdminSettings.DnsSettings(
                        st.enabled(), st.priority(), st.weight(), st.extraDomains())));
  }

  /** The latest setting changes, oldest first, at most {@value #AUDIT_CAPACITY}. */
  public List<AuditEntry> audit() {
    synchronized (audit) {
      return List.copyOf(audit);
    }
  }

  /**
   * Every client record that passes {@code filter}, least recently seen first, with no cap; a
   * consistent copy taken under the host's lock, O(clients).
   */
  public List<ClientRecord> clients(ClientFilter filter) {
    Objects.requireNonNull(filter, "filter");
    Instant now = host.now();
    HostState state = host.state(now);
    List<ClientRecord> out = new ArrayList<>();
    for (ClientRecord c : state.ledger().clients()) {
      if (filter.test(c, now)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The suspected clones (CMIDs seen from more than one workstation name within 30 days), most
   * recently seen first, with the names and addresses seen; O(clients), like {@link #clients}.
   */
  public List<CloneDetection.SuspectedClone> clones() {
    Instant now = host.now();
    return CloneDetection.find(host.state(now).ledger(), now, CloneDetection.DEFAULT_WINDOW);
  }

  /**
   * The forecast now: per application, the day its count falls below each of its thresholds (those
   * of its products, as in the view) if no new machine arrives and only the clients seen within
   * {@code renewing} keep renewing; the clients not seen for {@code notSeenFor}; the suspected
   * clones. O(clients), like {@link #clients}.
   *
   * @throws IllegalArgumentException if a duration is negative
   */
  public HostForecast forecast(Duration renewing, Duration notSeenFor) {
    Map<Guid, List<Integer>> thresholds = new LinkedHashMap<>();
    thresholds().forEach((app, t) -> thresholds.put(app, List.copyOf(t)));
    Instant now = host.now();
    return HostForecast.of(
        host.state(now).ledger(), now, thresholds, List.of(5, 25), renewing, notSeenFor);
  }

  /**
   * Writes a consistent snapshot of the running host (identity, clients, counts, history) in {@link
   * HostStateExporter}'s format to {@code out}, which stays open; the host keeps answering
   * meanwhile (the copy is taken under its lock in O(clients), the writing happens outside it).
   *
   * @throws IOException if {@code out} fails
   */
  public void export(OutputStream out) throws IOException {
    new HostStateExporter().write(host.state(host.now()), out);
  }

  /**
   * {@code state} under a freshly generated identity: a new HWID and a new ePID for each host-key
   * group it had, on the same host build and LCID, so that an imported host and the one it came
   * from never answer with the same identity. Counts and clients are kept.
   *
   * @param catalog the catalog whose groups the ePIDs are generated for
   * @param random where the new HWID and ePIDs come from
   * @param today the date in the new ePIDs
   * @throws IllegalArgumentException if a group of the old identity is not in the catalog
   */
  public static HostState withNewIdentity(
      HostState state, ProductCatalog catalog, RandomGenerator random, LocalDate today) {
    HostIdentity old = state.identity();
    Optional<Epid> first = old.ePids().values().stream().findFirst();
    HostIdentity fresh =
        KmsHost.generateIdentity(
            catalog,
            List.copyOf(old.ePids().keySet()),
            random,
            first.map(e -> OptionalInt.of(e.build())).orElse(OptionalInt.empty()),
            first.map(Epid::lcid).orElse(1033),
            today);
    return new HostState(fresh, state.ledger());
  }

  // ---- changing

  /**
   * Sets the activation interval answers carry ({@code slmgr /sai}).
   *
   * @param origin who asked, for the audit
   * @throws IllegalArgumentException if it is not whole minutes from 15 min to 30 days
   */
  public void setActivationInterval(Duration interval, String origin) {
    synchronized (changes) {
      HostSettings before =
          refuse(
              ACTIVATION_INTERVAL,
              minutes(interval),
              () -> host.changeSettings(s -> s.withActivationInterval(interval)));
      audit(ACTIVATION_INTERVAL, minutes(before.activationInterval()), minutes(interval), origin);
    }
  }

  /**
   * Sets the renewal interval answers carry ({@code slmgr /sri}).
   *
   * @param origin who asked, for the audit
   * @throws IllegalArgumentException if it is not whole minutes from 15 min to 30 days
   */
  public void setRenewalInterval(Duration interval, String origin) {
    synchronized (changes) {
      HostSettings before =
          refuse(
              RENEWAL_INTERVAL,
              minutes(interval),
              () -> host.changeSettings(s -> s.withRenewalInterval(interval)));
      audit(RENEWAL_INTERVAL, minutes(before.renewalInterval()), minutes(interval), origin);
    }
  }

  /**
   * Moves the listener to {@code port} ({@code slmgr /sprt}): binds the new port first, takes what
   * waits on the old one and closes it (connections already accepted finish), then re-publishes the
   * SRV records with the new port. Neither port loses a request.
   *
   * @throws IllegalArgumentException if the port is not 1–65535 or cannot be bound (nothing changes
   *     then)
   * @throws IllegalStateException without a server
   */
  public void setPort(int port, String origin) {
    KmsServer s =
        server.orElseThrow(() -> new IllegalStateException("port: the host has no server"));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535: " + port);
    }
    synchronized (changes) {
      int before = s.port();
      if (before == port) {
        return;
      }
      try {
        s.rebind(port);
      } catch (UncheckedIOException e) {
        throw new IllegalArgumentException("port " + port + ": " + e.getMessage(), e);
      }
      dns.ifPresent(d -> d.setPort(port));
      audit(PORT, Integer.toString(before), Integer.toString(port), origin);
    }
  }

  /**
   * Turns DNS publishing on ({@code slmgr /sdns}: publish now and keep re-registering) or off
   * ({@code /cdns}: remove the records this host published and stop re-registering, so the removal
   * sticks).
   *
   * @throws IllegalStateException when the host has no DNS publisher
   */
  public void setDnsPublishing(boolean enabled, String origin) {
    DnsPublishing d = dns();
    synchronized (changes) {
      boolean before = d.state().enabled();
      d.setEnabled(enabled);
      audit(DNS_PUBLISH, Boolean.toString(before), Boolean.toString(enabled), origin);
    }
  }

  /**
   * Sets the SRV priority in the home domain ({@code slmgr /sdns} priority).
   *
   * @throws IllegalArgumentException if it is not 0–65535
   */
  public void setDnsPriority(int priority, String origin) {
    DnsPublishing d = dns();
    if (priority < 0 || priority > 0xFFFF) {
      throw new IllegalArgumentException("dns-priority must be 0-65535: " + priority);
    }
    synchronized (changes) {
      int before = d.state().priority();
      d.setPriority(priority);
      audit(DNS_PRIORITY, Integer.toString(before), Integer.toString(priority), origin);
    }
  }

  /**
   * Sets the SRV weight in the home domain.
   *
   * @throws IllegalArgumentException if it is not 0–65535
   */
  public void setDnsWeight(int weight, String origin) {
    DnsPublishing d = dns();
    if (weight < 0 || weight > 0xFFFF) {
      throw new IllegalArgumentException("dns-weight must be 0-65535: " + weight);
    }
    synchronized (changes) {
      int before = d.state().weight();
      d.setWeight(weight);
      audit(DNS_WEIGHT, Integer.toString(before), Integer.toString(weight), origin);
    }
  }

  /**
   * Replaces the extra domains published in, each with its priority and weight (Windows' {@code
   * DnsDomainPublishList}).
   *
   * @throws IllegalArgumentException if a domain is invalid or listed twice
   */
  public void setDnsExtraDomains(List<DnsPublishing.Domain> domains, String origin) {
    DnsPublishing d = dns();
    List<DnsPublishing.Domain> copy = List.copyOf(domains);
    synchronized (changes) {
      List<DnsPublishing.Domain> before = d.state().extraDomains();
      d.setExtraDomains(copy);
      audit(DNS_EXTRA, formatDomains(before), formatDomains(copy), origin);
    }
  }

  /** Domains as the saved configuration writes them: {@code DOMAIN:PRIORITY:WEIGHT,...}. */
  public static String formatDomains(List<DnsPublishing.Domain> domains) {
    List<String> parts = new ArrayList<>();
    for (DnsPublishing.Domain d : domains) {
      parts.add(d.domain() + ":" + d.priority() + ":" + d.weight());
    }
    return String.join(",", parts);
  }

  /**
   * Turns low priority on ({@code slmgr /cpri}) or off ({@code /spri}); see {@link
   * KmsServer#lowPriority(boolean)} for what it does.
   *
   * @throws IllegalStateException without a server
   */
  public void setLowPriority(boolean low, String origin) {
    KmsServer s =
        server.orElseThrow(() -> new IllegalStateException("low-priority: the host has no server"));
    synchronized (changes) {
      boolean before = s.isLowPriority();
      if (before == low) {
        return;
      }
      s.lowPriority(low);
      audit(LOW_PRIORITY, Boolean.toString(before), Boolean.toString(low), origin);
    }
  }

  private DnsPublishing dns() {
    return dns.orElseThrow(
        () -> new IllegalStateException("the host does not publish in DNS (no --dns-host)"));
  }

  private static String minutes(Duration d) {
    return d == null ? "null" : Long.toString(d.toMinutes());
  }

  /** Runs a change; a refusal names the setting and the value. */
  private static <T> T refuse(String setting, String value, java.util.function.Supplier<T> change) {
    try {
      return change.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(setting + " " + value + " refused: " + e.getMessage(), e);
    }
  }

  private void audit(String setting, String before, String after, String origin) {
    AuditEntry entry =
        new AuditEntry(
            host.now(), setting, before, after, Objects.requireNonNull(origin, "origin"));
    synchronized (audit) {
      if (audit.size() == AUDIT_CAPACITY) {
        audit.removeFirst();
      }
      audit.addLast(entry);
    }
    LOG.info("setting {} changed from {} to {} ({})", setting, before, after, origin);
    AdminSettings now = settings();
    for (AdminListener l : listeners) {
      try {
        l.onChange(entry, now);
      } catch (RuntimeException e) { // a listener must not undo or block a change
        LOG.warn("admin listener {} failed on {}; skipped", l, entry, e);
      }
    }
  }

  /** Parts of a {@link HostAdmin}; only the host is required. */
  public static final class Builder {
    private final KmsHost host;
    private KmsServer server;
    private RequestCounters counters;
    private DnsPublishing dns;
    private final List<AdminListener> listeners = new ArrayList<>();
    private String version = "dev";

    private Builder(KmsHost host) {
      this.host = Objects.requireNonNull(host, "host");
    }

    /** The server the host answers on: listening addresses, port changes, low priority. */
    public Builder server(KmsServer server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    /** The request counters the host was given as a listener. */
    public Builder counters(RequestCounters counters) {
      this.counters = Objects.requireNonNull(counters, "counters");
      return this;
    }

    /** The DNS publishing control (kms-dns's {@code SrvPublisher}). */
    public Builder dnsPublishing(DnsPublishing dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      return this;
    }

    /** Adds a listener told of every change. */
    public Builder listener(AdminListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The version the view reports; default {@code "dev"}. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** The administration; its uptime starts now. */
    public HostAdmin build() {
      return new HostAdmin(this);
    }
  }
}
