package io.github.kmsj.dns;

import io.github.kmsj.core.admin.DnsPublishing;
import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.time.Cancellable;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Scheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Keeps a KMS host's {@code _vlmcs._tcp} SRV record in DNS by <a
 * href="https://www.rfc-editor.org/rfc/rfc2136">RFC 2136</a> dynamic update, as a Windows KMS host
 * does: in its home domain and in each domain of a publish list, each with its own priority and
 * weight, re-registered every 24 hours by default, optionally signed with TSIG (<a
 * href="https://www.rfc-editor.org/rfc/rfc8945">RFC 8945</a>).
 *
 * <p>For each domain the publisher finds the zone that holds {@code _vlmcs._tcp.<domain>} (an SOA
 * walk, so a delegated child zone gets the update, not its parent), reads the current SRV RRset,
 * sends one update that deletes this host's earlier records (same target) and adds the new one,
 * leaving other hosts' records alone, and then reads the record back. Each domain's outcome is a
 * {@link PublishEvent}.
 *
 * <pre>{@code
 * SrvPublisher publisher = SrvPublisher.builder()
 *     .hostName("kms1.corp.example")               // taken as fully qualified
 *     .server(new InetSocketAddress("10.0.0.53", 53))
 *     .tsigKey("kms-update", base64Secret)          // hmac-sha256
 *     .extraDomain("branch.corp.example", 10, 50)
 *     .listener(event -> ...)
 *     .build();
 * publisher.start();                                // now and every 24 h
 * }</pre>
 *
 * <p>Instances are thread-safe. {@link #publishNow()} and {@link #removeNow()} run on the calling
 * thread, one domain at a time; DNS exchanges never overlap. The scheduled runs are timed by a
 * {@link Scheduler} ({@link Scheduler#system()} unless configured) and run on the publisher's own
 * daemon thread, {@code kmsj-srv-publisher}, so that slow DNS exchanges never hold up the
 * scheduler.
 *
 * <p>Once {@linkplain #start() started} (or told {@link #setEnabled}), the publisher keeps DNS in
 * the state it was asked for: while enabled it re-registers every interval; while disabled it keeps
 * the records removed and never re-registers, so a removal sticks. A run that fails in some domain
 * is retried with back-off ({@linkplain Builder#retry 5 s, doubling, at most 10 min} by default),
 * not after the 24-hour interval. Port, priority, weight and the extra domains may change at run
 * time ({@link DnsPublishing}); each change is published at once when enabled. {@link #state()}
 * tells the last outcome per domain and when the next attempt is due.
 */
public final class SrvPublisher implements AutoCloseable, DnsPublishing {

  private static final Logger LOG = LoggerFactory.getLogger(SrvPublisher.class);

  /** The re-registration interval of a Windows KMS host. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);

  /** The record TTL unless configured. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  /** How long one DNS exchange may take unless configured. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** The first retry of a failed run unless configured; each further failure doubles it. */
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(5);

  /** The longest wait between retries of a failing run unless configured. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(10);

  private final Name target;
  private final long ttlSeconds;

  /** The home domain, null when the host does not publish in it. */
  private final String homeDomain;

  private final Duration retryInitial;
  private final Duration retryMax;

  /** Serialises DNS exchanges: a run, a change and a removal never interleave their updates. */
  private final ReentrantLock exchange = new ReentrantLock();

  // Guarded by lock.
  private int port;
  private int priority;
  private int weight;
  private List<PublishDomain> extraDomains;
  private boolean enabled = true;
  private boolean automatic;
  private final Map<String, DnsPublishing.Result> lastResults = new LinkedHashMap<>();
  private Instant nextAttempt;
  private int consecutiveFailures;
  private final Resolver queryResolver;
  private final Resolver updateResolver;
  private final boolean signed;
  private final PublishListener listener;
  private final Duration interval;
  private final Scheduler scheduler;
  private final Executor runs;
  private final ExecutorService ownedExecutor;
  private final AtomicBoolean running = new AtomicBoolean();
  private final Object lock = new Object();
  private Cancellable scheduled;
  private boolean closed;

  private SrvPublisher(Builder b, Name target, String homeDomain) {
    this.target = target;
    this.port = b.port;
    this.ttlSeconds = b.ttl.getSeconds();
    this.homeDomain = homeDomain;
    this.priority = b.priority;
    this.weight = b.weight;
    this.extraDomains = List.copyOf(b.extraDomains.values());
    this.retryInitial = b.retryInitial;
    this.retryMax = b.retryMax;
    this.signed = b.tsig != null;
    this.queryResolver = b.resolverFactory.apply(null);
    this.updateResolver = signed ? b.resolverFactory.apply(b.tsig) : queryResolver;
    this.listener = b.listener != null ? b.listener : new LoggingPublishListener();
    this.interval = b.interval;
    this.scheduler = b.scheduler;
    if (b.runs != null) {
      this.runs = b.runs;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor =
          Executors.newSingleThreadExecutor(DaemonThreadFactory.named("kmsj-srv-publisher"));
      this.runs = ownedExecutor;
    }
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the domains this publisher publishes in: the home domain first, then the extra ones.
   */
  public List<PublishDomain> domains() {
    synchronized (lock) {
      return domainsLocked();
    }
  }

  private List<PublishDomain> domainsLocked() {
    List<PublishDomain> all = new ArrayList<>(extraDomains.size() + 1);
    if (homeDomain != null) {
      all.add(new PublishDomain(homeDomain, priority, weight));
    }
    all.addAll(extraDomains);
    return all;
  }

  /** Returns the SRV target, this host's fully qualified name with the final dot. */
  public String target() {
    return target.toString();
  }

  /**
   * Publishes now and then every interval (24 h by default) as the scheduler times it, until {@link
   * #close()} or {@link #removeNow()}. Outcomes go to the listener.
   *
   * @throws IllegalStateException if already started, or closed
   */
  public void start() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("publisher closed");
      }
      if (automatic) {
        throw new IllegalStateException("publisher already started");
      }
      automatic = true;
      enabled = true;
      scheduleLocked(Duration.ZERO);
    }
  }

  /** Replaces the pending run with one after {@code delay}; call holding {@code lock}. */
  private void scheduleLocked(Duration delay) {
    if (scheduled != null) {
      scheduled.cancel();
    }
    scheduled = scheduler.schedule(delay, this::runScheduled);
    nextAttempt = scheduler.instant().plus(delay);
  }

  /**
   * After a run: a failure is retried with back-off, a success while enabled is refreshed after the
   * interval, a successful removal needs nothing more. Only once started.
   */
  private void afterRun(List<PublishEvent> events, boolean wasEnabled) {
    synchronized (lock) {
      if (closed || !automatic || wasEnabled != enabled) {
        return; // closed, manual, or a later change decided the schedule already
      }
      if (events.stream().anyMatch(e -> !e.isSuccess())) {
        consecutiveFailures++;
        Duration delay = backoff(consecutiveFailures);
        LOG.info(
            "SRV {} failed in some domain ({} in a row); retrying in {}",
            wasEnabled ? "publishing" : "removal",
            consecutiveFailures,
            delay);
        scheduleLocked(delay);
      } else {
        consecutiveFailures = 0;
        if (wasEnabled) {
          scheduleLocked(interval);
        } else {
          cancelScheduleLocked();
        }
      }
    }
  }

  /** The wait before retry {@code n} (1-based): the initial one doubled each time, capped. */
  Duration backoff(int n) {
    Duration d = retryInitial;
    for (int i = 1; i < n && d.compareTo(retryMax) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(retryMax) > 0 ? retryMax : d;
  }

  /** On the scheduler's thread: hands the run to the publisher's thread unless one is going. */
  private void runScheduled() {
    if (!running.compareAndSet(false, true)) {
      LOG.warn("SRV publishing run still in progress after {}; skipping this one", interval);
      return;
    }
    try {
      runs.execute(this::publishScheduled);
    } catch (RejectedExecutionException e) {
      running.set(false);
      LOG.debug("SRV publisher closed; scheduled run dropped", e);
    }
  }

  private void publishScheduled() {
    try {
      boolean on;
      synchronized (lock) {
        on = enabled;
      }
      List<PublishEvent> events = on ? publishAll() : removeAll(domains());
      afterRun(events, on);
    } catch (RuntimeException e) {
      LOG.error("SRV publishing run failed", e);
    } finally {
      running.set(false);
    }
  }

  /**
   * Publishes (adds or refreshes) this host's record in every domain now, on the calling thread.
   *
   * @return one outcome per domain, in {@link #domains()} order; also sent to the listener
   */
  public List<PublishEvent> publishNow() {
    List<PublishEvent> events = publishAll();
    afterRun(events, true);
    return events;
  }

  private List<PublishEvent> publishAll() {
    exchange.lock();
    try {
      List<PublishDomain> domains;
      int p;
      synchronized (lock) {
        domains = domainsLocked();
        p = port;
      }
      List<PublishEvent> events = new ArrayList<>(domains.size());
      for (PublishDomain d : domains) {
        PublishEvent e = publish(d, p);
        events.add(e);
        record(e);
        deliver(e);
      }
      return events;
    } finally {
      exchange.unlock();
    }
  }

  private List<PublishEvent> removeAll(List<PublishDomain> domains) {
    exchange.lock();
    try {
      List<PublishEvent> events = new ArrayList<>(domains.size());
      for (PublishDomain d : domains) {
        PublishEvent e = remove(d);
        events.add(e);
        record(e);
        deliver(e);
      }
      return events;
    } finally {
      exchange.unlock();
    }
  }

  private void record(PublishEvent e) {
    String detail;
    String operation;
    if (e instanceof PublishEvent.Published p) {
      operation = "publish";
      detail =
          "published "
              + p.priority()
              + " "
              + p.weight()
              + " "
              + p.port()
              + " "
              + p.target()
              + " in zone "
              + p.zone();
    } else if (e instanceof PublishEvent.Removed r) {
      operation = "remove";
      detail = "removed " + r.removed() + " record(s) of " + r.target() + " from zone " + r.zone();
    } else {
      PublishEvent.Failed f = (PublishEvent.Failed) e;
      operation = f.operation() == PublishEvent.Operation.PUBLISH ? "publish" : "remove";
      detail = f.reason() + ": " + f.detail();
    }
    synchronized (lock) {
      lastResults.put(
          e.domain(),
          new DnsPublishing.Result(
              e.domain(), operation, e.isSuccess(), detail, scheduler.instant()));
    }
  }

  /**
   * Deletes this host's records from every domain, like Windows' {@code slmgr /cdns} followed by a
   * clean-up. Stops the schedule first, so that the record does not come back.
   *
   * @return one outcome per domain, in {@link #domains()} order; also sent to the listener
   */
  public List<PublishEvent> removeNow() {
    synchronized (lock) {
      enabled = false;
      cancelScheduleLocked();
    }
    List<PublishEvent> events = removeAll(domains());
    afterRun(events, false);
    return events;
  }

  // ---- DnsPublishing: run-time control

  @Override
  public DnsPublishing.State state() {
    synchronized (lock) {
      List<PublishDomain> domains = domainsLocked();
      List<DnsPublishing.Result> results = new ArrayList<>();
      for (PublishDomain d : domains) {
        DnsPublishing.Result r = lastResults.get(d.domain());
        if (r != null) {
          results.add(r);
        }
      }
      return new DnsPublishing.State(
          enabled,
          target.toString(),
          port,
          priority,
          weight,
          extraDomains.stream().map(SrvPublisher::toSpi).toList(),
          domains.stream().map(SrvPublisher::toSpi).toList(),
          results,
          Optional.ofNullable(scheduled == null ? null : nextAttempt),
          consecutiveFailures);
    }
  }

  private static DnsPublishing.Domain toSpi(PublishDomain d) {
    return new DnsPublishing.Domain(d.domain(), d.priority(), d.weight());
  }

  /**
   * Turns publishing on (publish now, re-register every interval, retry failures) or off ({@code
   * slmgr /cdns}: remove this host's records now and keep them removed, retrying a failed removal);
   * starts the schedule if {@link #start()} was not called.
   *
   * @throws IllegalStateException if closed
   */
  @Override
  public void setEnabled(boolean on) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("publisher closed");
      }
      enabled = on;
      automatic = true;
      cancelScheduleLocked();
    }
    List<PublishEvent> events = on ? publishAll() : removeAll(domains());
    afterRun(events, on);
  }

  /**
   * Publishes with another port from now on, at once when enabled.
   *
   * @throws IllegalArgumentException if it is not 1–65535
   */
  @Override
  public void setPort(int port) {
    PublishDomain.srvField(port, 1, "port");
    synchronized (lock) {
      this.port = port;
    }
    republishIfEnabled(List.of());
  }

  @Override
  public void setPriority(int priority) {
    PublishDomain.srvField(priority, 0, "priority");
    synchronized (lock) {
      this.priority = priority;
    }
    republishIfEnabled(List.of());
  }

  @Override
  public void setWeight(int weight) {
    PublishDomain.srvField(weight, 0, "weight");
    synchronized (lock) {
      this.weight = weight;
    }
    republishIfEnabled(List.of());
  }

  /**
   * Replaces the extra domains; when enabled, the records in domains dropped from the list are
   * removed and the others published at once.
   *
   * @throws IllegalArgumentException if a domain is invalid, listed twice, is the home domain, or
   *     no domain would be left
   */
  @Override
  public void setExtraDomains(List<DnsPublishing.Domain> domains) {
    Map<String, PublishDomain> fresh = new LinkedHashMap<>();
    for (DnsPublishing.Domain d : domains) {
      PublishDomain p = new PublishDomain(d.domain(), d.priority(), d.weight());
      if (fresh.putIfAbsent(p.domain(), p) != null) {
        throw new IllegalArgumentException("extra domain listed twice: " + p.domain());
      }
      if (p.domain().equals(homeDomain)) {
        throw new IllegalArgumentException("extra domain is the home domain: " + p.domain());
      }
    }
    if (fresh.isEmpty() && homeDomain == null) {
      throw new IllegalArgumentException(
          "no domain to publish in: home domain disabled and no extra domain");
    }
    List<PublishDomain> dropped = new ArrayList<>();
    synchronized (lock) {
      for (PublishDomain old : extraDomains) {
        if (!fresh.containsKey(old.domain())) {
          dropped.add(old);
          lastResults.remove(old.domain());
        }
      }
      extraDomains = List.copyOf(fresh.values());
    }
    republishIfEnabled(dropped);
  }

  private void republishIfEnabled(List<PublishDomain> dropped) {
    boolean on;
    synchronized (lock) {
      on = enabled && automatic;
    }
    if (!on) {
      return;
    }
    List<PublishEvent> events = new ArrayList<>(removeAll(dropped));
    events.addAll(publishAll());
    afterRun(events, true);
  }

  /** Stops re-registration. Published records stay in DNS; see {@link #removeNow()}. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    cancelSchedule();
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  private void cancelSchedule() {
    synchronized (lock) {
      cancelScheduleLocked();
    }
  }

  private void cancelScheduleLocked() {
    if (scheduled != null) {
      scheduled.cancel();
      scheduled = null;
    }
    nextAttempt = null;
  }

  private void deliver(PublishEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("publish listener failed on {}", event, e);
    }
  }

  private PublishEvent publish(PublishDomain d, int port) {
    Name owner = DnsNames.srvName(DnsNames.absolute(d.domain(), "domain"));
    Name zone = null;
    try {
      zone = ZoneFinder.find(owner, queryResolver);
      List<SRVRecord> mine = ownRecords(readSrv(owner));
      SRVRecord wanted =
          new SRVRecord(owner, DClass.IN, ttlSeconds, d.priority(), d.weight(), port, target);
      Update update = new Update(zone);
      for (SRVRecord old : mine) {
        update.delete(old);
      }
      update.add(wanted);
      sendUpdate(update, zone);
      List<SRVRecord> after = ownRecords(readSrv(owner));
      if (after.size() != 1 || !sameRecord(after.get(0), wanted)) {
        throw new StepFailure(
            PublishFailure.VERIFICATION_MISMATCH,
            "update accepted, but "
                + owner
                + " now holds "
                + describe(after)
                + " for "
                + target
                + " instead of "
                + wanted.rdataToString()
                + " (TTL "
                + ttlSeconds
                + ")");
      }
      return new PublishEvent.Published(
          d.domain(),
          zone.toString(),
          owner.toString(),
          target.toString(),
          port,
          d.priority(),
          d.weight(),
          Duration.ofSeconds(ttlSeconds),
          mine.size());
    } catch (StepFailure f) {
      return failed(d, owner, PublishEvent.Operation.PUBLISH, zone, f);
    }
  }

  private PublishEvent remove(PublishDomain d) {
    Name owner = DnsNames.srvName(DnsNames.absolute(d.domain(), "domain"));
    Name zone = null;
    try {
      zone = ZoneFinder.find(owner, queryResolver);
      List<SRVRecord> mine = ownRecords(readSrv(owner));
      if (!mine.isEmpty()) {
        Update update = new Update(zone);
        for (SRVRecord old : mine) {
          update.delete(old);
        }
        sendUpdate(update, zone);
        List<SRVRecord> after = ownRecords(readSrv(owner));
        if (!after.isEmpty()) {
          throw new StepFailure(
              PublishFailure.VERIFICATION_MISMATCH,
              "delete accepted, but " + owner + " still holds " + describe(after));
        }
      }
      return new PublishEvent.Removed(
          d.domain(), zone.toString(), owner.toString(), target.toString(), mine.size());
    } catch (StepFailure f) {
      return failed(d, owner, PublishEvent.Operation.REMOVE, zone, f);
    }
  }

  private static PublishEvent.Failed failed(
      PublishDomain d, Name owner, PublishEvent.Operation op, Name zone, StepFailure f) {
    return new PublishEvent.Failed(
        d.domain(),
        owner.toString(),
        op,
        f.reason,
        Optional.ofNullable(zone).map(Name::toString),
        f.getMessage(),
        Optional.ofNullable(f.getCause()));
  }

  /** Reads the SRV RRset at {@code owner} from the zone's server; empty when there is none. */
  private List<SRVRecord> readSrv(Name owner) throws StepFailure {
    String step = "SRV " + owner + " via " + queryResolver;
    Message response;
    try {
      response = queryResolver.send(Message.newQuery(Record.newRecord(owner, Type.SRV, DClass.IN)));
    } catch (IOException e) {
      throw StepFailure.fromIo(step, e);
    }
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      throw new StepFailure(PublishFailure.SERVER_ERROR, step + ": " + Rcode.string(rcode));
    }
    List<SRVRecord> out = new ArrayList<>();
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof SRVRecord srv && srv.getName().equals(owner)) {
        out.add(srv);
      }
    }
    return out;
  }

  private List<SRVRecord> ownRecords(List<SRVRecord> records) {
    return records.stream().filter(r -> r.getTarget().equals(target)).collect(Collectors.toList());
  }

  private static boolean sameRecord(SRVRecord a, SRVRecord b) {
    return a.getPriority() == b.getPriority()
        && a.getWeight() == b.getWeight()
        && a.getPort() == b.getPort()
        && a.getTarget().equals(b.getTarget())
        && a.getTTL() == b.getTTL();
  }

  private static String describe(List<SRVRecord> records) {
    return records.isEmpty()
        ? "no record"
        : records.stream()
            .map(r -> "[" + r.rdataToString() + " TTL " + r.getTTL() + "]")
            .collect(Collectors.joining(", "));
  }

  /**
   * Sends an update and classifies the reply.
   *
   * <p>Notes: dnsjava does not throw when a TSIG signature fails to verify, it only marks the reply
   * (and logs at debug level). A success is trusted only if the reply verifies. A server that could
   * not verify <em>our</em> signature answers NOTAUTH with TSIG error BADSIG or BADKEY and an
   * unsigned MAC, so those replies are classified by their error even though they cannot verify.
   */
  private void sendUpdate(Update update, Name zone) throws StepFailure {
    String step =
        "update of zone " + zone + " via " + updateResolver + (signed ? " (TSIG)" : " (unsigned)");
    Message response;
    try {
      response = updateResolver.send(update);
    } catch (IOException e) {
      throw StepFailure.fromIo(step, e);
    }
    int rcode = response.getRcode();
    TSIGRecord tsig = response.getTSIG();
    int tsigError = tsig != null ? tsig.getError() : Rcode.NOERROR;
    String detail =
        step
            + ": "
            + Rcode.string(rcode)
            + (tsigError != Rcode.NOERROR ? ", TSIG error " + Rcode.TSIGstring(tsigError) : "");
    if (tsigError == Rcode.BADSIG) {
      throw new StepFailure(PublishFailure.BAD_SIGNATURE, detail);
    }
    if (tsigError == Rcode.BADKEY) {
      throw new StepFailure(PublishFailure.BAD_KEY, detail);
    }
    if (tsigError == Rcode.BADTIME) {
      throw new StepFailure(PublishFailure.BAD_TIME, detail);
    }
    if (rcode == Rcode.NOERROR) {
      if (signed && !response.isVerified()) {
        throw new StepFailure(
            PublishFailure.UNVERIFIED_RESPONSE,
            detail
                + ", but the reply is "
                + (response.isSigned() ? "signed and does not verify" : "unsigned"));
      }
      return;
    }
    PublishFailure reason;
    switch (rcode) {
      case Rcode.REFUSED:
        reason = PublishFailure.REFUSED;
        break;
      case Rcode.NOTAUTH:
        reason = PublishFailure.NOT_AUTHORIZED;
        break;
      case Rcode.NOTZONE:
        reason = PublishFailure.NOT_ZONE;
        break;
      default:
        reason = PublishFailure.SERVER_ERROR;
        break;
    }
    throw new StepFailure(reason, detail);
  }

  /** Configures a {@link SrvPublisher}; {@link #hostName} is required, the rest optional. */
  public static final class Builder {
    private String hostName;
    private int port = HostCandidate.DEFAULT_PORT;
    private Duration ttl = DEFAULT_TTL;
    private String homeDomain;
    private boolean publishInHomeDomain = true;
    private int priority;
    private int weight;
    private final Map<String, PublishDomain> extraDomains = new LinkedHashMap<>();
    private InetSocketAddress server;
    private Duration timeout = DEFAULT_TIMEOUT;
    private TSIG tsig;
    private PublishListener listener;
    private Duration interval = DEFAULT_INTERVAL;
    private Scheduler scheduler = Scheduler.system();
    private Executor runs;
    private Function<TSIG, Resolver> resolverFactory;
    private Duration retryInitial = DEFAULT_RETRY_INITIAL;
    private Duration retryMax = DEFAULT_RETRY_MAX;

    private Builder() {}

    /**
     * Sets the back-off of a failed run: the first retry after {@code initial}, each further one
     * after twice the previous wait, never more than {@code max}; default 5 s and 10 min.
     */
    public Builder retry(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "retry needs 0 < initial <= max: " + initial + ", " + max);
      }
      this.retryInitial = initial;
      this.retryMax = max;
      return this;
    }

    /**
     * Sets this host's name, the SRV target; required. Taken as fully qualified: {@code
     * "kms1.corp.example"} means {@code "kms1.corp.example."}.
     */
    public Builder hostName(String hostName) {
      this.hostName = Objects.requireNonNull(hostName, "hostName");
      return this;
    }

    /** Sets the announced TCP port; default 1688. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Sets the record TTL, 1 s to 68 years; default 1 hour. */
    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** Sets the home domain; default: the host name without its first label. */
    public Builder homeDomain(String domain) {
      this.homeDomain = Objects.requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Sets whether to publish in the home domain (Windows' {@code DisableDnsPublishing} inverted);
     * default true.
     */
    public Builder publishInHomeDomain(boolean publish) {
      this.publishInHomeDomain = publish;
      return this;
    }

    /**
     * Sets the SRV priority announced in the home domain, 0–65535; default 0 (Windows' {@code
     * DnsPriority}).
     */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * Sets the SRV weight announced in the home domain, 0–65535; default 0 (Windows' {@code
     * DnsWeight}).
     */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    /**
     * Adds a domain to publish in as well, with its own priority and weight; one entry of Windows'
     * {@code DnsDomainPublishList}.
     *
     * @throws IllegalArgumentException if the domain is invalid or already added
     */
    public Builder extraDomain(String domain, int priority, int weight) {
      PublishDomain d = new PublishDomain(domain, priority, weight);
      if (extraDomains.putIfAbsent(d.domain(), d) != null) {
        throw new IllegalArgumentException("extra domain added twice: " + d.domain());
      }
      return this;
    }

    /**
     * Sets the DNS server that receives the updates and answers the zone and read-back queries,
     * normally the zone's primary; default: the system's first name server.
     */
    public Builder server(InetSocketAddress server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    /** Sets how long one DNS exchange may take; default 5 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Signs updates with an HMAC-SHA256 TSIG key.
     *
     * @param keyName the key's name as the server knows it, taken as fully qualified
     * @param base64Secret the shared secret in base64; never logged
     * @throws IllegalArgumentException if the secret is not base64 or is empty, at once rather than
     *     at the first update
     */
    public Builder tsigKey(String keyName, String base64Secret) {
      Objects.requireNonNull(base64Secret, "base64Secret");
      byte[] secret;
      try {
        secret = java.util.Base64.getDecoder().decode(base64Secret.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the TSIG secret of key " + keyName + " is not base64: " + e.getMessage(), e);
      }
      if (secret.length == 0) {
        throw new IllegalArgumentException("the TSIG secret of key " + keyName + " is empty");
      }
      return tsig(new TSIG(TSIG.HMAC_SHA256, DnsNames.absolute(keyName, "keyName"), base64Secret));
    }

    /** Signs updates with the given TSIG key, for another algorithm or clock. */
    public Builder tsig(TSIG tsig) {
      if (this.tsig != null) {
        throw new IllegalStateException("TSIG key already set");
      }
      this.tsig = Objects.requireNonNull(tsig, "tsig");
      return this;
    }

    /** Sets the receiver of outcomes; default: a listener that logs them through SLF4J. */
    public Builder listener(PublishListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Sets the re-registration interval, at least 1 minute; default 24 hours. */
    public Builder interval(Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Sets what times the runs of {@link SrvPublisher#start()}; default {@link Scheduler#system()}.
     * The runs themselves go to the publisher's own thread.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Replaces where scheduled runs publish (tests: {@code Runnable::run} to publish on the thread
     * that advances a manual scheduler); default: a daemon thread owned by the publisher.
     */
    Builder runs(Executor runs) {
      this.runs = Objects.requireNonNull(runs, "runs");
      return this;
    }

    /**
     * Replaces how resolvers are made (tests): called with {@code null} for the query resolver and
     * with the TSIG key for the update resolver.
     */
    Builder resolverFactory(Function<TSIG, Resolver> factory) {
      this.resolverFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Validates the settings and returns the publisher.
     *
     * @throws IllegalArgumentException if a setting is out of range or no domain is left to publish
     *     in
     * @throws IllegalStateException if the host name is missing
     */
    public SrvPublisher build() {
      if (hostName == null) {
        throw new IllegalStateException("hostName is required");
      }
      Name target = DnsNames.absolute(hostName, "hostName");
      PublishDomain.srvField(port, 1, "port");
      if (ttl.isNegative() || ttl.getSeconds() < 1 || ttl.getSeconds() > 0x7FFFFFFFL) {
        throw new IllegalArgumentException("ttl must be 1 s to 2^31-1 s: " + ttl);
      }
      if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("interval must be at least 1 minute: " + interval);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      List<PublishDomain> domains = new ArrayList<>();
      String home = null;
      if (publishInHomeDomain) {
        home = homeDomain;
        if (home == null) {
          if (target.labels() < 3) {
            throw new IllegalArgumentException(
                "hostName has no domain to publish in; set homeDomain: " + target);
          }
          home = new Name(target, 1).toString();
        }
        PublishDomain h = new PublishDomain(home, priority, weight);
        home = h.domain();
        domains.add(h);
      }
      for (PublishDomain d : extraDomains.values()) {
        if (domains.stream().anyMatch(x -> x.domain().equals(d.domain()))) {
          throw new IllegalArgumentException("extra domain is the home domain: " + d.domain());
        }
        domains.add(d);
      }
      if (domains.isEmpty()) {
        throw new IllegalArgumentException(
            "no domain to publish in: home domain disabled and no extra domain");
      }
      if (resolverFactory == null) {
        InetSocketAddress address =
            server != null ? server : ResolverConfig.getCurrentConfig().server();
        Duration t = timeout;
        resolverFactory =
            key -> {
              SimpleResolver r = new SimpleResolver(address);
              r.setTimeout(t);
              if (key != null) {
                r.setTSIGKey(key);
              }
              return r;
            };
      }
      return new SrvPublisher(this, target, home);
    }
  }
}
