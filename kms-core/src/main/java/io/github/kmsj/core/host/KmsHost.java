package io.github.kmsj.core.host;

import io.github.kmsj.core.catalog.HostKeyCoverage;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.internal.SetOnce;
import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.CloneDetection;
import io.github.kmsj.core.ledger.DailyCount;
import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.core.policy.Decision;
import io.github.kmsj.core.policy.HostPolicy;
import io.github.kmsj.core.store.HostStore;
import io.github.kmsj.core.store.LoadedState;
import io.github.kmsj.core.store.StoreException;
import io.github.kmsj.core.store.StoreHealth;
import io.github.kmsj.core.store.StoreLoadReport;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.core.time.Ticker;
import io.github.kmsj.core.transport.CallHandler;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.BaseResponse;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KMS host with Microsoft's documented semantics: it counts distinct client machine IDs per
 * application over 30 days, returns the real count and lets the client decide; it answers only for
 * the products its host-key groups cover; it refuses a client clock more than 4 hours off and an
 * unsupported version.
 *
 * <p>A host is its {@link HostPolicy policy}, its {@link ClientLedger ledger}, its {@link HostStore
 * store} and its {@link HostIdentity identity}. {@link #submit} decides a request with the policy,
 * and for an admitted one appends the change to the store and applies it to the ledger under one
 * short lock (so the store sees changes in the ledger's order); the answer completes when the store
 * says the change is durable, and never blocks the caller. {@link #rpcHandler()} adapts it to the
 * RPC transport. Thread-safe.
 *
 * <p>Storage faults are a state of the store ({@link #storeHealth()}), not of the host. A counted
 * request is answered only once its change is durable; if the store cannot write it, {@link
 * #submit} completes exceptionally with {@link StoreException}, and while the store is degraded it
 * throws at once. The {@linkplain #rpcHandler() RPC adapter} answers both with the failure stub
 * {@code 0x8007045D} ({@link HResult#IO_DEVICE}), so a client retries after its activation interval
 * instead of seeing a closed connection. Probes and refusals need no store and are still answered.
 *
 * <p>The ledger rule: the host applies a change to its in-memory ledger when the store accepts it
 * ({@code append} returned), before it is durable. A change the store refuses at once is neither
 * counted nor stored. A change whose write then fails stays counted: the store keeps it and writes
 * it when it recovers, so the ledger equals what a restart loads. Such a client was never answered
 * and may be counted; a CMID that was never sent never is. If the store never recovers (its
 * directory was removed), the changes it could not write are lost at the next restart.
 */
public final class KmsHost implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KmsHost.class);

  /**
   * The reserved client machine ID of readiness probes: a request with it is answered with the
   * current count but never counted or remembered.
   */
  public static final Guid PROBE_CMID = HostPolicy.PROBE_CMID;

  /**
   * The settings in force and the interval minutes answers carry, swapped whole by {@link
   * #changeSettings}: one volatile read per request.
   */
  private volatile Live live;

  private final ProductCatalog catalog;
  private final HostPolicy policy;
  private final HostIdentity identity;
  private final ClientLedger ledger;
  private final HostStore store;
  private final StoreLoadReport storeLoadReport;
  private final InstantSource clock;
  private final Ticker ticker;
  private final RandomGenerator random;
  private final GuardedListeners listeners;
  private final ReentrantLock lock = new ReentrantLock();
  private final Object settingsLock = new Object();
  private final HostCallHandler rpcHandler;

  /** Whether the store is shared: answers then carry the cluster's count ({@link #shared}). */
  private final boolean sharedStore;

  /** The catalog's digest, computed once: events carry it. */
  private final String catalogDigest;

  /** Null when the clock was given alone and is trusted as it is. */
  private final HostTime hostTime;

  /**
   * The text of each group's ePID, formatted once: String.format cost more than the rest of a
   * request.
   */
  private final Map<String, String> ePidTexts;

  private KmsHost(
      Builder b,
      HostSettings settings,
      HostPolicy policy,
      HostIdentity identity,
      ClientLedger ledger,
      StoreLoadReport report) {
    this.live = new Live(settings);
    this.catalog = b.catalog;
    this.policy = policy;
    this.identity = identity;
    this.ledger = ledger;
    this.store = b.store;
    this.storeLoadReport = report;
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.random = b.random;
    this.listeners = new GuardedListeners(b.listeners);
    Map<String, String> texts = new HashMap<>();
    identity.ePids().forEach((group, ePid) -> texts.put(group, ePid.format()));
    this.ePidTexts = Map.copyOf(texts);
    // A clock given alone (a test's or an embedder's own) is trusted as it is: only a clock and a
    // ticker from one time source can be checked against each other.
    this.hostTime = b.checkClockSteps ? new HostTime(clock, ticker) : null;
    this.catalogDigest = catalog.digest();
    this.rpcHandler = new HostCallHandler(this);
    if (!listeners.isEmpty()) {
      store.subscribe(listeners::publishHealth);
    }
    this.sharedStore = store.isShared();
    if (sharedStore) {
      store.follow(this::applyShared);
    }
  }

  /** Applies another host's change, given by a shared store, to this host's mirror ledger. */
  private void applyShared(HostChange change) {
    lock.lock();
    try {
      ledger.apply(change);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads the host's time once, for one request: the wall clock while the monotonic ticker agrees
   * with it (see {@link HostTime} for the rule). A step is logged and reported to the listeners; a
   * confirmed step back is journaled and clamps the ledger before the request is counted. Never
   * waits for the store. Status views should read this too, not the wall clock.
   *
   * @throws StoreException if the store has failed
   */
  public Instant now() {
    if (hostTime == null) {
      return clock.instant();
    }
    Instant now;
    Optional<ClockStep> step;
    synchronized (hostTime) {
      now = hostTime.read();
      step = hostTime.takeStep();
    }
    if (step.isEmpty()) {
      return now;
    }
    if (step.get().confirmed()) {
      lock.lock();
      try {
        if (now.isBefore(ledger.latest())) {
          // Not awaited: the journal is ordered, so the force that covers any later answered
          // change covers this one too.
          HostChange.ClockStepped stepped = new HostChange.ClockStepped(now);
          store.append(stepped);
          ledger.apply(stepped);
        }
      } finally {
        lock.unlock();
      }
    }
    reportStep(step.get());
    return now;
  }

  private void reportStep(ClockStep step) {
    if (step.confirmed()) {
      LOG.warn(
          "the wall clock held its step of {} for {}; the host now counts with it ({})",
          step.offset(),
          HostTime.CONFIRMATION,
          step.wallClock());
    } else {
      LOG.warn(
          "the wall clock stepped by {} (it reads {}, the monotonic clock says {}); counting"
              + " continues on the monotonic clock until the step has held for {}",
          step.offset(),
          step.wallClock(),
          step.hostTime(),
          HostTime.CONFIRMATION);
    }
    listeners.publish(step);
  }

  /**
   * A new identity, as a host generates at its first start: a random HWID and an ePID for each of
   * {@code groupIds}, on {@code hostBuild} (default: the newest the groups allow) with {@code lcid}
   * and the activation date {@code today}. For an import under a new identity.
   *
   * @throws IllegalArgumentException if a group or the build is not in the catalog
   */
  public static HostIdentity generateIdentity(
      ProductCatalog catalog,
      List<String> groupIds,
      RandomGenerator random,
      OptionalInt hostBuild,
      int lcid,
      java.time.LocalDate today) {
    HostKeyCoverage coverage = HostKeyCoverage.of(catalog, groupIds, false);
    return new IdentityBootstrap(catalog, coverage, random, hostBuild, lcid, today)
        .resolve(Optional.empty(), Optional.empty())
        .identity();
  }

  /** A builder with Microsoft's defaults and the default host-key groups. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A decided request: the answer, and when the change it reports is durable. For a {@linkplain
   * HostStore#isShared() shared} store the answer's count is known only then: {@code shared}
   * completes with the answer to send, and {@code response} carries the host's own count.
   */
  record Pending(
      HostResponse response,
      CompletableFuture<Void> durable,
      Optional<CompletableFuture<HostResponse>> shared) {
    Pending(HostResponse response, CompletableFuture<Void> durable) {
      this(response, durable, Optional.empty());
    }
  }

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /**
   * Decides a request at the host's time {@code now} and counts it when it is admitted; never
   * blocks on storage. The request event is published when the answer completes.
   *
   * @param remote the client's address, when known
   * @return the answer, completed once the change it reports is durable, or exceptionally with a
   *     {@link StoreException}
   * @throws StoreException if the store is degraded (the request is not counted) or closed
   */
  public CompletableFuture<HostResponse> submit(
      DecodedRequest request, Instant now, Optional<InetSocketAddress> remote) {
    long start = ticker.read();
    Pending p = decide(request, now, remote);
    if (p.shared().isPresent()) {
      return p.shared()
          .get()
          .thenApply(
              r -> {
                publish(request, r, now, remote, start);
                return r;
              });
    }
    if (isDoneNormally(p.durable())) {
      publish(request, p.response(), now, remote, start);
      return CompletableFuture.completedFuture(p.response());
    }
    return p.durable()
        .thenApply(
            v -> {
              publish(request, p.response(), now, remote, start);
              return p.response();
            });
  }

  /**
   * {@link #submit} and wait: for an in-process client or a test. It blocks until the change is
   * durable, so never call it on an event loop.
   *
   * @throws StoreException if the store fails
   */
  public HostResponse handle(DecodedRequest request, Instant now) {
    return handle(request, now, Optional.empty());
  }

  /**
   * {@link #submit} and wait, with the client's address.
   *
   * @throws StoreException if the store fails
   */
  public HostResponse handle(
      DecodedRequest request, Instant now, Optional<InetSocketAddress> remote) {
    return HostStore.await(submit(request, now, remote));
  }

  static boolean isDoneNormally(CompletableFuture<?> f) {
    return f.isDone() && !f.isCompletedExceptionally();
  }

  /** The policy, the ledger and the store, in that order; the heart of {@link #submit}. */
  Pending decide(DecodedRequest request, Instant now, Optional<InetSocketAddress> remote) {
    Decision decision = policy.decide(request, now);
    if (decision instanceof Decision.Refusal r) {
      return new Pending(new HostResponse.Refused(r.hresult(), r.reason()), DONE);
    }
    Decision.Admission admission = (Decision.Admission) decision;
    BaseRequest base = admission.request();
    int count;
    CompletableFuture<Void> durable;
    CompletableFuture<OptionalInt> counted = null;
    if (admission.probe()) {
      lock.lock();
      try {
        count = ledger.count(base.applicationId(), now);
      } finally {
        lock.unlock();
      }
      durable = DONE;
    } else {
      HostChange.ClientSeen seen =
          new HostChange.ClientSeen(
              now,
              base.applicationId(),
              base.cmid(),
              base.requiredClientCount(),
              base.workstationName(),
              base.skuId(),
              base.kmsCountedId(),
              base.licenseStatus(),
              remote);
      boolean watchClones = !listeners.isEmpty();
      Optional<CloneEvent> clone = Optional.empty();
      lock.lock();
      try {
        boolean wasClone =
            watchClones
                && ledger.isClone(
                    base.applicationId(), base.cmid(), now, CloneDetection.DEFAULT_WINDOW);
        // Store first: if it refuses the change, the ledger has not counted it either.
        if (sharedStore) {
          counted = store.appendCounted(seen);
          durable = DONE;
        } else {
          durable = store.append(seen);
        }
        count = ledger.apply(seen).count();
        if (watchClones && !wasClone) {
          clone = CloneEvent.detect(ledger, base.applicationId(), base.cmid(), now);
        }
      } finally {
        lock.unlock();
      }
      clone.ifPresent(listeners::publish);
    }
    String ePid = ePidTexts.get(admission.group().id());
    if (ePid == null) {
      throw new NoSuchElementException("no ePID for host-key group " + admission.group().id());
    }
    Live l = live;
    BaseResponse response =
        new BaseResponse(
            base.version(),
            ePid,
            base.cmid(),
            base.requestTime(),
            count,
            l.activationMinutes,
            l.renewalMinutes);
    HostResponse.Answered answered =
        new HostResponse.Answered(response, identity.hwid(), admission.group());
    if (counted != null) {
      return new Pending(answered, DONE, Optional.of(counted.thenApply(c -> shared(answered, c))));
    }
    return new Pending(answered, durable);
  }

  /** The answer with the shared state's count, or with the host's own when the store has none. */
  private static HostResponse shared(HostResponse.Answered local, OptionalInt count) {
    if (count.isEmpty()) {
      return local;
    }
    BaseResponse b = local.base();
    return new HostResponse.Answered(
        new BaseResponse(
            b.version(),
            b.ePid(),
            b.cmid(),
            b.requestTime(),
            count.getAsInt(),
            b.vlActivationInterval(),
            b.vlRenewalInterval()),
        local.hwid(),
        local.group());
  }

  void publish(
      DecodedRequest request,
      HostResponse response,
      Instant now,
      Optional<InetSocketAddress> remote,
      long startTick) {
    if (listeners.isEmpty()) {
      return;
    }
    Optional<BaseRequest> base = request == null ? Optional.empty() : request.base();
    Optional<HostResponse.Answered> answered =
        response instanceof HostResponse.Answered a ? Optional.of(a) : Optional.empty();
    Optional<String> reason =
        response instanceof HostResponse.Refused r ? Optional.of(r.reason()) : Optional.empty();
    RequestEvent event =
        new RequestEvent(
            now,
            remote,
            request == null ? Optional.empty() : Optional.of(request.request().version()),
            base.map(BaseRequest::workstationName),
            base.map(BaseRequest::cmid),
            base.map(BaseRequest::applicationId),
            base.map(BaseRequest::skuId),
            base.map(BaseRequest::kmsCountedId),
            base.map(BaseRequest::requiredClientCount),
            base.map(BaseRequest::licenseStatus),
            base.map(BaseRequest::bindingExpiration),
            base.map(BaseRequest::isVirtualMachine),
            response.hresult(),
            answered.map(a -> a.base().currentClientCount()).orElse(0),
            answered.map(a -> a.group().id()),
            reason,
            Duration.ofNanos(ticker.read() - startTick),
            base.map(b -> PROBE_CMID.equals(b.cmid())).orElse(false),
            catalogDigest,
            base.map(b -> b.requestTime().toInstant()));
    listeners.publish(event);
  }

  /**
   * The adapter to the RPC transport: give it to {@code KmsServer.builder} or drive it from any
   * server through {@code KmsConnection}.
   */
  public CallHandler rpcHandler() {
    return rpcHandler;
  }

  RandomGenerator random() {
    return random;
  }

  Ticker ticker() {
    return ticker;
  }

  /** The host's settings in force now; a later {@link #changeSettings} replaces them. */
  public HostSettings settings() {
    return live.settings;
  }

  /**
   * Replaces the settings a running host answers with, atomically: the next request decided carries
   * the new ones, a request being decided carries either the old or the new ones whole. Only the
   * activation and renewal intervals may differ; the rest shape the policy and identity the host
   * was built with.
   *
   * @param change from the settings in force to the new ones
   * @return the settings that were in force before
   * @throws IllegalArgumentException if the change alters a setting that is not live, or a value is
   *     out of range (nothing changes then)
   */
  public HostSettings changeSettings(UnaryOperator<HostSettings> change) {
    synchronized (settingsLock) {
      HostSettings before = live.settings;
      HostSettings after = Objects.requireNonNull(change.apply(before), "settings");
      if (!before
          .withActivationInterval(after.activationInterval())
          .withRenewalInterval(after.renewalInterval())
          .equals(after)) {
        throw new IllegalArgumentException(
            "only the activation and renewal intervals change on a running host");
      }
      live = new Live(after);
      return before;
    }
  }

  /** The settings in force and the minutes they put on the wire, computed once per change. */
  private static final class Live {
    final HostSettings settings;
    final int activationMinutes;
    final int renewalMinutes;

    Live(HostSettings settings) {
      this.settings = settings;
      this.activationMinutes = (int) settings.activationInterval().toMinutes();
      this.renewalMinutes = (int) settings.renewalInterval().toMinutes();
    }
  }

  /** The host's rules. */
  public HostPolicy policy() {
    return policy;
  }

  /** The host's identity: ePIDs and HWID. */
  public HostIdentity identity() {
    return identity;
  }

  /** The host-key groups and their coverage. */
  public HostKeyCoverage coverage() {
    return policy.coverage();
  }

  /** The product catalog. */
  public ProductCatalog catalog() {
    return catalog;
  }

  /** The store. */
  public HostStore store() {
    return store;
  }

  /**
   * How many CMIDs of an application are suspected clones at {@code now} (seen from more than one
   * workstation name within {@link CloneDetection#DEFAULT_WINDOW}); reads only.
   */
  public int suspectedCloneCount(Guid applicationId, Instant now) {
    lock.lock();
    try {
      return ledger.cloneCount(applicationId, now, CloneDetection.DEFAULT_WINDOW);
    } finally {
      lock.unlock();
    }
  }

  /** The current count for an application at {@code now}; reads only. */
  public int currentCount(Guid applicationId, Instant now) {
    lock.lock();
    try {
      return ledger.count(applicationId, now);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The count history of an application: each UTC day's highest count, oldest first; reads only,
   * O(days).
   */
  public List<DailyCount> countHistory(Guid applicationId) {
    lock.lock();
    try {
      return ledger.history(applicationId);
    } finally {
      lock.unlock();
    }
  }

  /** How many client records the host remembers; reads only. */
  public int clientCount() {
    lock.lock();
    try {
      return ledger.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * An immutable copy of everything the host remembers, as of {@code now} (or the ledger's latest
   * change, if later): identity, clients and counts. Costs O(clients) under the host lock.
   */
  public HostState state(Instant now) {
    LedgerState l;
    lock.lock();
    try {
      l = ledger.state();
    } finally {
      lock.unlock();
    }
    if (now.isAfter(l.asOf())) {
      l = new LedgerState(now, l.applications(), l.clients());
    }
    return new HostState(identity, l);
  }

  /**
   * Whether the host's store acknowledges changes now; while it is degraded, counted requests are
   * answered with {@code 0x8007045D}. Changes are also published to {@link
   * HostListener#onStoreHealth}.
   */
  public StoreHealth storeHealth() {
    return store.health();
  }

  /** What the store found and repaired when the host was built. */
  public StoreLoadReport storeLoadReport() {
    return storeLoadReport;
  }

  /**
   * Flushes and closes the store; the host must not handle requests afterwards.
   *
   * @throws StoreException if the store cannot be flushed or closed
   */
  @Override
  public void close() {
    store.close();
  }

  /** The clock the RPC adapter reads once per request. */
  public InstantSource clock() {
    return clock;
  }

  /** The activation interval returned to clients now. */
  public Duration activationInterval() {
    return live.settings.activationInterval();
  }

  /** The renewal interval returned to clients now. */
  public Duration renewalInterval() {
    return live.settings.renewalInterval();
  }

  @Override
  public String toString() {
    return "KmsHost[" + live.settings.hostKeyGroups() + ", " + store + "]";
  }

  /**
   * Settings of a {@link KmsHost}. Each may be set once (a second call fails, naming the setting);
   * {@link #build()} validates them and copies them into an immutable {@link HostSettings}, so a
   * builder can build several independent hosts.
   */
  public static final class Builder {
    /** The shortest interval a genuine host allows ({@code slmgr /sai}, {@code /sri}). */
    public static final Duration MIN_INTERVAL = HostSettings.MIN_INTERVAL;

    /** The longest interval a genuine host allows. */
    public static final Duration MAX_INTERVAL = HostSettings.MAX_INTERVAL;

    private ProductCatalog catalog;
    private List<String> groupIds;
    private Boolean strict;
    private HostIdentity identity;
    private InstantSource clock;
    private Ticker ticker;
    private RandomGenerator random;
    private Optional<Duration> maxClockSkew;
    private Duration activationInterval;
    private Duration renewalInterval;
    private Integer hostBuild;
    private Integer lcid;
    private final List<HostListener> listeners = new ArrayList<>();
    private HostStore store;
    private LedgerLimits ledgerLimits;
    private boolean checkClockSteps;

    private Builder() {}

    private static <T> T once(T current, T value, String name) {
      return SetOnce.set(current, value, name);
    }

    /** The product catalog; default {@link ProductCatalog#builtIn()}. */
    public Builder catalog(ProductCatalog catalog) {
      this.catalog = once(this.catalog, catalog, "catalog");
      return this;
    }

    /**
     * The host-key groups by ID: at most one Windows group and any Office groups; default {@link
     * HostKeyCoverage#DEFAULT_GROUP_IDS} (Windows Server 2025 and every Office group).
     */
    public Builder hostKeyGroups(List<String> groupIds) {
      this.groupIds = once(this.groupIds, List.copyOf(groupIds), "hostKeyGroups");
      return this;
    }

    /** Whether doubtful (synthetic) KMS counted IDs are refused; default false (lenient). */
    public Builder strictCoverage(boolean strict) {
      this.strict = once(this.strict, strict, "strictCoverage");
      return this;
    }

    /** A stored identity to keep; default a new one generated at build time. */
    public Builder identity(HostIdentity identity) {
      this.identity = once(this.identity, identity, "identity");
      return this;
    }

    /**
     * How long client records are kept after a client's latest request, and how many at most;
     * default {@link LedgerLimits#DEFAULT} (90 days, 1,000,000). Counting is not affected: it
     * always uses 30 days.
     */
    public Builder ledgerLimits(LedgerLimits limits) {
      this.ledgerLimits = once(this.ledgerLimits, limits, "ledgerLimits");
      return this;
    }

    /**
     * Where the host keeps its identity and ledger across restarts; default {@link
     * HostStore#none()}. {@link #build()} loads it: a stored identity is kept (ePIDs are generated
     * only for host-key groups it lacks) and the stored ledger restored. The host owns the store
     * from then on and closes it in {@link KmsHost#close()}; a store can be loaded by one host
     * only.
     */
    public Builder store(HostStore store) {
      this.store = once(this.store, store, "store");
      return this;
    }

    /**
     * The host's wall clock, read once per request; default the system clock ({@link
     * Scheduler#system()}).
     */
    public Builder clock(InstantSource clock) {
      this.clock = once(this.clock, clock, "clock");
      return this;
    }

    /**
     * The host's time as one object: its wall clock, and the ticker that measures event latencies
     * and against which the wall clock is checked for steps (see {@link KmsHost#now()}); default
     * {@link Scheduler#system()}. Replaces {@link #clock}.
     */
    public Builder time(Scheduler scheduler) {
      this.clock = once(this.clock, scheduler, "clock");
      this.ticker = scheduler;
      return this;
    }

    /** Where response salts, R, ePIDs and the HWID come from; default a {@link SecureRandom}. */
    public Builder random(RandomGenerator random) {
      this.random = once(this.random, random, "random");
      return this;
    }

    /** The largest client clock difference accepted; default 4 hours. */
    public Builder maxClockSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new IllegalArgumentException("maxClockSkew must not be negative: " + skew);
      }
      this.maxClockSkew = once(this.maxClockSkew, Optional.of(skew), "maxClockSkew");
      return this;
    }

    /** Turns the client clock check off (on by default). */
    public Builder disableClockCheck() {
      this.maxClockSkew = once(this.maxClockSkew, Optional.empty(), "maxClockSkew");
      return this;
    }

    /** How long an unactivated client waits before retrying; 15 min to 30 days, default 120 min. */
    public Builder activationInterval(Duration interval) {
      this.activationInterval = once(this.activationInterval, interval, "activationInterval");
      return this;
    }

    /** How often an activated client renews; 15 min to 30 days, default 10080 min (7 days). */
    public Builder renewalInterval(Duration interval) {
      this.renewalInterval = once(this.renewalInterval, interval, "renewalInterval");
      return this;
    }

    /**
     * The host OS build in generated ePIDs; default the newest build the Windows group may run on.
     */
    public Builder hostBuild(int build) {
      this.hostBuild = once(this.hostBuild, build, "hostBuild");
      return this;
    }

    /** The LCID in generated ePIDs; default 1033 (en-US). */
    public Builder lcid(int lcid) {
      if (lcid < 1 || lcid > 99_999) {
        throw new IllegalArgumentException("lcid must be 1-99999: " + lcid);
      }
      this.lcid = once(this.lcid, lcid, "lcid");
      return this;
    }

    /** Adds an event listener. */
    public Builder listener(HostListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The host. Each call builds an independent host with its own ledger; a store, if one was set,
     * is loaded by the first.
     *
     * @throws IllegalArgumentException naming the setting and value that is out of range
     * @throws StoreException if the store cannot be loaded
     */
    public KmsHost build() {
      HostSettings settings =
          new HostSettings(
              activationInterval == null ? Duration.ofMinutes(120) : activationInterval,
              renewalInterval == null ? Duration.ofMinutes(10080) : renewalInterval,
              maxClockSkew == null ? Optional.of(HostPolicy.DEFAULT_MAX_CLOCK_SKEW) : maxClockSkew,
              groupIds == null ? HostKeyCoverage.DEFAULT_GROUP_IDS : groupIds,
              strict != null && strict,
              ledgerLimits == null ? LedgerLimits.DEFAULT : ledgerLimits,
              lcid == null ? 1033 : lcid,
              hostBuild == null ? OptionalInt.empty() : OptionalInt.of(hostBuild));
      Builder b = resolved();
      HostPolicy policy =
          HostPolicy.of(
              HostKeyCoverage.of(b.catalog, settings.hostKeyGroups(), settings.strictCoverage()),
              settings.maxClockSkew());
      try {
        return build(b, settings, policy);
      } catch (RuntimeException | Error e) {
        try {
          b.store.close(); // the host owns the store: a failed build must not keep its lock
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }

    /** A copy with every default filled in, so that build() never writes to this builder. */
    private Builder resolved() {
      Builder b = new Builder();
      b.catalog = catalog == null ? ProductCatalog.builtIn() : catalog;
      b.identity = identity;
      b.checkClockSteps = clock == null || ticker != null;
      b.clock = clock == null ? Scheduler.system() : clock;
      b.ticker = ticker == null ? Ticker.system() : ticker;
      b.random = random == null ? new SecureRandom() : random;
      b.store = store == null ? HostStore.none() : store;
      b.listeners.addAll(listeners);
      return b;
    }

    private static KmsHost build(Builder b, HostSettings settings, HostPolicy policy) {
      LoadedState loaded = b.store.load(settings.ledgerLimits());
      IdentityBootstrap bootstrap =
          new IdentityBootstrap(
              b.catalog,
              policy.coverage(),
              b.random,
              settings.hostBuild(),
              settings.lcid(),
              b.clock.instant().atZone(ZoneOffset.UTC).toLocalDate());
      IdentityBootstrap.Result id =
          bootstrap.resolve(loaded.identity(), Optional.ofNullable(b.identity));
      if (id.changed()) {
        HostStore.await(b.store.append(new HostChange.IdentitySet(id.identity())));
      }
      ClientLedger ledger = new ClientLedger(settings.ledgerLimits());
      ledger.restore(loaded.ledger());
      return new KmsHost(b, settings, policy, id.identity(), ledger, loaded.report());
    }
  }
}
