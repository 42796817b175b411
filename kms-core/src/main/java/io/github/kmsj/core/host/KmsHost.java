package io.github.kmsj.core.host;

import io.github.kmsj.core.catalog.HostBuild;
import io.github.kmsj.core.catalog.HostKeyCoverage;
import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.count.ActivationCounter;
import io.github.kmsj.core.count.CountResult;
import io.github.kmsj.core.count.CounterSnapshot;
import io.github.kmsj.core.store.ClientRegistry;
import io.github.kmsj.core.store.HostState;
import io.github.kmsj.core.store.HostStore;
import io.github.kmsj.core.store.LoadedState;
import io.github.kmsj.core.store.StoreChange;
import io.github.kmsj.core.store.StoreException;
import io.github.kmsj.core.store.StoreLoadReport;
import io.github.kmsj.core.transport.CallHandler;
import io.github.kmsj.core.transport.PeerInfo;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.BaseResponse;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.ResponseRandom;
import io.github.kmsj.protocol.message.UnsupportedRequest;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.rpc.KmsCall;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * A KMS host with Microsoft's documented semantics: it counts distinct client machine IDs per
 * application over 30 days, returns the real count and lets the client decide; it answers only for
 * the products its host-key groups cover; it refuses a client clock more than 4 hours off and an
 * unsupported version.
 *
 * <p>{@link #handle} is the single entry point; {@link #answer} adapts it to the RPC transport.
 * Thread-safe: counting has one writer at a time behind a short lock.
 *
 * <p>With a {@link Builder#store store}, the host restores its identity, counts and client records
 * when it is built, and journals every counted request inside the lock, in the counter's order. A
 * store failure propagates as {@link StoreException} out of {@code handle} and {@code answer}: such
 * a request is never answered as if it had been recorded.
 */
public final class KmsHost implements CallHandler {
  /**
   * The reserved client machine ID of readiness probes: a request with it is answered with the
   * current count but never counted or remembered.
   */
  public static final Guid PROBE_CMID = Guid.parse("6b6d736a-7072-6f62-6500-000000000000");

  /** The largest KMS request accepted from a stub. */
  static final int MAX_REQUEST_MESSAGE = 1024;

  private final ProductCatalog catalog;
  private final HostKeyCoverage coverage;
  private final HostIdentity identity;
  private final ActivationCounter counter;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final Duration maxClockSkew;

  /**
   * -maxClockSkew, precomputed: Duration.abs() and negated() go through BigDecimal, far too slow
   * per request.
   */
  private final Duration minClockSkew;

  private final int activationMinutes;
  private final int renewalMinutes;
  private final GuardedListeners listeners;
  private final ReentrantLock lock = new ReentrantLock();
  private final ClientRegistry registry;
  private final HostStore store;
  private final StoreLoadReport storeLoadReport;

  /**
   * The text of each group's ePID, formatted once: String.format cost more than the rest of a
   * request.
   */
  private final Map<String, String> ePidTexts;

  private KmsHost(
      Builder b, HostIdentity identity, ClientRegistry registry, StoreLoadReport storeLoadReport) {
    this.catalog = b.catalog;
    this.coverage = b.coverage;
    this.identity = identity;
    this.counter = b.counter;
    this.clock = b.clock;
    this.random = b.random;
    this.maxClockSkew = b.maxClockSkew;
    this.minClockSkew = b.maxClockSkew == null ? null : b.maxClockSkew.negated();
    this.activationMinutes = (int) b.activationInterval.toMinutes();
    this.renewalMinutes = (int) b.renewalInterval.toMinutes();
    this.listeners = new GuardedListeners(b.listeners);
    this.registry = registry;
    this.store = b.store;
    this.storeLoadReport = storeLoadReport;
    Map<String, String> texts = new HashMap<>();
    identity.ePids().forEach((group, ePid) -> texts.put(group, ePid.format()));
    this.ePidTexts = Map.copyOf(texts);
  }

  /** A builder with Microsoft's defaults and the default host-key groups. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides the answer to a decoded request at {@code now}; updates the count when the request is
   * answered. Publishes no event (see {@link #handle(DecodedRequest, Instant, Optional)}).
   */
  public HostResponse handle(DecodedRequest request, Instant now) {
    return decide(request, now, Optional.empty());
  }

  /**
   * Decides the answer to a decoded request and publishes the request event.
   *
   * @param remote the client's address, when known
   */
  public HostResponse handle(
      DecodedRequest request, Instant now, Optional<InetSocketAddress> remote) {
    long start = System.nanoTime();
    HostResponse response = decide(request, now, remote);
    publish(request.base(), request, response, now, remote, start);
    return response;
  }

  private HostResponse decide(
      DecodedRequest request, Instant now, Optional<InetSocketAddress> remote) {
    if (request.request() instanceof UnsupportedRequest u) {
      return new HostResponse.Refused(
          HResult.INVALID_DATA, "unsupported protocol version " + u.version());
    }
    if (request.failedCheck().isPresent()) {
      return new HostResponse.Refused(
          HResult.INVALID_DATA, "request failed " + request.failedCheck().get().description());
    }
    BaseRequest base = request.base().orElseThrow();
    if (maxClockSkew != null) {
      // |skew| > max without Duration.abs(), which allocates BigDecimals for every negative skew.
      Duration skew = Duration.between(now, base.requestTime().toInstant());
      if (skew.compareTo(maxClockSkew) > 0 || skew.compareTo(minClockSkew) < 0) {
        return new HostResponse.Refused(
            HResult.INVALID_TIMESTAMP, "client clock is " + skew.abs() + " away from the host's");
      }
    }
    Optional<HostKeyGroup> group = coverage.coveringGroup(base.kmsCountedId());
    if (group.isEmpty()) {
      return new HostResponse.Refused(
          HResult.KMS_ID_MISMATCH,
          "no configured host-key group covers KMS counted ID " + base.kmsCountedId());
    }
    if (!group.get().applicationId().equals(base.applicationId())) {
      return new HostResponse.Refused(
          HResult.KMS_ID_MISMATCH,
          "KMS counted ID "
              + base.kmsCountedId()
              + " belongs to application "
              + group.get().applicationId()
              + ", the request names "
              + base.applicationId());
    }
    CountResult result;
    int probeCount = 0;
    long ticket = -1;
    lock.lock();
    try {
      if (PROBE_CMID.equals(base.cmid())) {
        // A probe's count may be 0, which CountResult.Counted rejects; a null result means "probe
        // answered".
        long policy = Integer.toUnsignedLong(base.requiredClientCount());
        result =
            policy > ActivationCounter.MAX_POLICY ? new CountResult.PolicyTooHigh(policy) : null;
        probeCount = counter.currentCount(base.applicationId(), now);
      } else if (Integer.compareUnsigned(base.requiredClientCount(), ActivationCounter.MAX_POLICY)
          > 0) {
        result = counter.record(base.applicationId(), base.cmid(), base.requiredClientCount(), now);
      } else {
        // Journal first: if the store fails, nothing changed and nothing is answered.
        StoreChange.ClientSeen seen =
            new StoreChange.ClientSeen(
                now,
                base.applicationId(),
                base.cmid(),
                base.requiredClientCount(),
                base.workstationName(),
                base.skuId(),
                base.kmsCountedId(),
                base.licenseStatus(),
                remote);
        if (store != null) {
          ticket = store.append(seen);
        }
        result = counter.record(base.applicationId(), base.cmid(), base.requiredClientCount(), now);
        registry.record(seen);
        if (store != null && store.isSnapshotDue()) {
          store.snapshot(stateLocked(now));
        }
      }
    } finally {
      lock.unlock();
    }
    if (ticket >= 0) {
      store.awaitDurable(ticket);
    }
    if (result instanceof CountResult.PolicyTooHigh tooHigh) {
      return new HostResponse.Refused(
          HResult.INVALID_DATA,
          "N policy "
              + tooHigh.requiredClientCount()
              + " is above "
              + ActivationCounter.MAX_POLICY);
    }
    int count = result == null ? probeCount : ((CountResult.Counted) result).count();
    String ePid = ePidTexts.get(group.get().id());
    if (ePid == null) {
      throw new NoSuchElementException("no ePID for host-key group " + group.get().id());
    }
    BaseResponse response =
        new BaseResponse(
            base.version(),
            ePid,
            base.cmid(),
            base.requestTime(),
            count,
            activationMinutes,
            renewalMinutes);
    return new HostResponse.Answered(response, identity.hwid(), group.get());
  }

  /**
   * The response stub for one RPC call: decodes the request, reads the clock once, decides,
   * encodes. A request that does not decode is answered with {@code 0x8007000D}, never with an
   * exception.
   */
  @Override
  public byte[] answer(KmsCall call, PeerInfo peer) {
    long start = System.nanoTime();
    Instant now = clock.instant();
    Optional<InetSocketAddress> remote = Optional.of(peer.remote());
    DecodedRequest request;
    try {
      byte[] message = KmsStubCodec.decodeRequest(call.syntax(), call.stub(), MAX_REQUEST_MESSAGE);
      request = KmsHostCodec.decodeRequest(message);
    } catch (KmsProtocolException e) {
      HostResponse refused =
          new HostResponse.Refused(HResult.INVALID_DATA, "undecodable request: " + e.getMessage());
      publish(Optional.empty(), null, refused, now, remote, start);
      return KmsStubCodec.encodeFailure(call.syntax(), HResult.INVALID_DATA);
    }
    HostResponse response = decide(request, now, remote);
    byte[] stub;
    if (response instanceof HostResponse.Answered answered) {
      byte[] message =
          KmsHostCodec.encodeResponse(
              request, answered.base(), ResponseRandom.generate(random), answered.hwid());
      stub = KmsStubCodec.encodeResponse(call.syntax(), message);
    } else {
      stub = KmsStubCodec.encodeFailure(call.syntax(), response.hresult());
    }
    publish(request.base(), request, response, now, remote, start);
    return stub;
  }

  private void publish(
      Optional<BaseRequest> base,
      DecodedRequest request,
      HostResponse response,
      Instant now,
      Optional<InetSocketAddress> remote,
      long startNanos) {
    if (listeners.isEmpty()) {
      return;
    }
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
            Duration.ofNanos(System.nanoTime() - startNanos),
            base.map(b -> PROBE_CMID.equals(b.cmid())).orElse(false));
    listeners.publish(event);
  }

  /** The host's identity: ePIDs and HWID. */
  public HostIdentity identity() {
    return identity;
  }

  /** The host-key groups and their coverage. */
  public HostKeyCoverage coverage() {
    return coverage;
  }

  /** The product catalog. */
  public ProductCatalog catalog() {
    return catalog;
  }

  /** The current count for an application at {@code now}. */
  public int currentCount(Guid applicationId, Instant now) {
    lock.lock();
    try {
      return counter.currentCount(applicationId, now);
    } finally {
      lock.unlock();
    }
  }

  /** An immutable snapshot of every CMID table at {@code now}. */
  public CounterSnapshot snapshot(Instant now) {
    lock.lock();
    try {
      return counter.snapshot(now);
    } finally {
      lock.unlock();
    }
  }

  /**
   * An immutable copy of everything the host remembers at {@code now}: identity, CMID tables and
   * client records, the view to query clients and counts and the value {@code HostStateExporter}
   * writes.
   */
  public HostState state(Instant now) {
    lock.lock();
    try {
      return stateLocked(now);
    } finally {
      lock.unlock();
    }
  }

  private HostState stateLocked(Instant now) {
    return new HostState(identity, counter.snapshot(now), registry.records());
  }

  /** What the store found and repaired when the host was built; empty without a store. */
  public Optional<StoreLoadReport> storeLoadReport() {
    return Optional.ofNullable(storeLoadReport);
  }

  /**
   * Flushes and closes the store, if there is one; the host must not handle requests afterwards.
   *
   * @throws StoreException if the store cannot be flushed or closed
   */
  public void close() {
    if (store != null) {
      lock.lock();
      try {
        store.close();
      } finally {
        lock.unlock();
      }
    }
  }

  /** The clock the host reads in {@link #answer}. */
  public InstantSource clock() {
    return clock;
  }

  /** The activation interval returned to clients. */
  public Duration activationInterval() {
    return Duration.ofMinutes(activationMinutes);
  }

  /** The renewal interval returned to clients. */
  public Duration renewalInterval() {
    return Duration.ofMinutes(renewalMinutes);
  }

  /** Settings of a {@link KmsHost}, validated in {@link #build()}; each may be set once. */
  public static final class Builder {
    /** The shortest interval a genuine host allows ({@code slmgr /sai}, {@code /sri}). */
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(15);

    /** The longest interval a genuine host allows. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(30);

    private ProductCatalog catalog;
    private List<String> groupIds;
    private boolean strict;
    private HostKeyCoverage coverage;
    private HostIdentity identity;
    private ActivationCounter counter;
    private InstantSource clock = Clock.systemUTC();
    private RandomGenerator random;
    private Duration maxClockSkew = Duration.ofHours(4);
    private Duration activationInterval = Duration.ofMinutes(120);
    private Duration renewalInterval = Duration.ofMinutes(10080);
    private int hostBuild;
    private int lcid = 1033;
    private final List<HostListener> listeners = new ArrayList<>();
    private HostStore store;
    private Duration clientRetention = ClientRegistry.RETENTION;
    private int maxClientRecords = ClientRegistry.MAX_CLIENTS;

    private Builder() {}

    /** The product catalog; default {@link ProductCatalog#builtIn()}. */
    public Builder catalog(ProductCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * The host-key groups by ID: at most one Windows group and any Office groups; default {@link
     * HostKeyCoverage#DEFAULT_GROUP_IDS} (Windows Server 2025 and every Office group).
     */
    public Builder hostKeyGroups(List<String> groupIds) {
      this.groupIds = List.copyOf(groupIds);
      return this;
    }

    /** Whether doubtful (synthetic) KMS counted IDs are refused; default false (lenient). */
    public Builder strictCoverage(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** A stored identity to keep; default a new one generated at build time. */
    public Builder identity(HostIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** The activation counter to use (a restored one); default an empty counter. */
    public Builder counter(ActivationCounter counter) {
      this.counter = Objects.requireNonNull(counter, "counter");
      return this;
    }

    /**
     * How long client records are kept after a client's latest request, and how many at most;
     * default 90 days and 1,000,000. Counting is not affected: it always uses 30 days.
     */
    public Builder clientRecords(Duration retention, int maxRecords) {
      new ClientRegistry(retention, maxRecords); // validates both now, naming the bad one
      this.clientRetention = retention;
      this.maxClientRecords = maxRecords;
      return this;
    }

    /**
     * Where the host keeps its identity, counts and client records across restarts; default none.
     * {@link #build()} loads it: a stored identity is kept (ePIDs are generated only for host-key
     * groups it lacks) and the store's counts replace the counter's tables. The host owns the store
     * from then on and closes it in {@link KmsHost#close()}.
     */
    public Builder store(HostStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The host's clock; default {@link Clock#systemUTC()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where response salts, R, ePIDs and the HWID come from; default a {@link SecureRandom}. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The largest client clock difference accepted; default 4 hours. */
    public Builder maxClockSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new IllegalArgumentException("maxClockSkew must not be negative: " + skew);
      }
      this.maxClockSkew = skew;
      return this;
    }

    /** Turns the client clock check off (on by default). */
    public Builder disableClockCheck() {
      this.maxClockSkew = null;
      return this;
    }

    /** How long an unactivated client waits before retrying; 15 min to 30 days, default 120 min. */
    public Builder activationInterval(Duration interval) {
      this.activationInterval = Objects.requireNonNull(interval, "activationInterval");
      return this;
    }

    /** How often an activated client renews; 15 min to 30 days, default 10080 min (7 days). */
    public Builder renewalInterval(Duration interval) {
      this.renewalInterval = Objects.requireNonNull(interval, "renewalInterval");
      return this;
    }

    /**
     * The host OS build in generated ePIDs; default the newest build the Windows group may run on.
     */
    public Builder hostBuild(int build) {
      this.hostBuild = build;
      return this;
    }

    /** The LCID in generated ePIDs; default 1033 (en-US). */
    public Builder lcid(int lcid) {
      if (lcid < 1 || lcid > 99_999) {
        throw new IllegalArgumentException("lcid must be 1-99999: " + lcid);
      }
      this.lcid = lcid;
      return this;
    }

    /** Adds an event listener. */
    public Builder listener(HostListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The host.
     *
     * @throws IllegalArgumentException naming the setting and value that is out of range
     */
    public KmsHost build() {
      checkInterval("activation interval", activationInterval);
      checkInterval("renewal interval", renewalInterval);
      if (catalog == null) {
        catalog = ProductCatalog.builtIn();
      }
      coverage =
          HostKeyCoverage.of(
              catalog, groupIds == null ? HostKeyCoverage.DEFAULT_GROUP_IDS : groupIds, strict);
      if (random == null) {
        random = new SecureRandom();
      }
      if (counter == null) {
        counter = new ActivationCounter();
      }
      try {
        return buildWithStore();
      } catch (RuntimeException | Error e) {
        if (store != null) {
          try {
            store.close(); // the host owns the store: a failed build must not keep its lock
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
    }

    private KmsHost buildWithStore() {
      HostIdentity id = identity;
      EpidGenerator generator = new EpidGenerator(catalog, random);
      ClientRegistry registry = new ClientRegistry(clientRetention, maxClientRecords);
      StoreLoadReport report = null;
      boolean identityStored = false;
      if (store != null) {
        LoadedState loaded = store.load();
        report = loaded.report();
        if (loaded.identity().isPresent()) {
          identityStored = true;
          if (id != null && !id.equals(loaded.identity().get())) {
            throw new IllegalArgumentException(
                "the store already holds a different identity than the one given");
          }
          id = completeIdentity(loaded.identity().get(), generator);
          if (!id.equals(loaded.identity().get())) {
            store.awaitDurable(store.append(new StoreChange.IdentitySet(id)));
          }
        }
        counter.restore(loaded.counts());
        registry.restore(loaded.clients());
      }
      if (id == null) {
        id = generator.generate(coverage.groups(), chooseBuild(generator), lcid, today());
        if (store != null) {
          store.awaitDurable(store.append(new StoreChange.IdentitySet(id)));
        }
      } else {
        for (HostKeyGroup g : coverage.groups()) {
          if (id.ePid(g.id()).isEmpty()) {
            throw new IllegalArgumentException(
                "the identity has no ePID for host-key group " + g.id());
          }
        }
        if (store != null && !identityStored) {
          store.awaitDurable(store.append(new StoreChange.IdentitySet(id)));
        }
      }
      return new KmsHost(this, id, registry, report);
    }

    private HostBuild chooseBuild(EpidGenerator generator) {
      return hostBuild == 0
          ? generator.chooseBuild(coverage.groups())
          : catalog
              .hostBuild(hostBuild)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "host build " + hostBuild + " is not in the catalog"));
    }

    private LocalDate today() {
      return clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
    }

    /**
     * The stored identity with a new ePID for each configured group it lacks, on the same host
     * build.
     */
    private HostIdentity completeIdentity(HostIdentity stored, EpidGenerator generator) {
      Map<String, Epid> ePids = new HashMap<>(stored.ePids());
      HostBuild build = null;
      for (HostKeyGroup g : coverage.groups()) {
        if (!ePids.containsKey(g.id())) {
          if (build == null) {
            int storedBuild =
                stored.ePids().values().stream().findFirst().map(e -> e.build()).orElse(0);
            build = catalog.hostBuild(storedBuild).orElseGet(() -> chooseBuild(generator));
          }
          ePids.put(g.id(), generator.ePid(g, build, lcid, today()));
        }
      }
      return ePids.size() == stored.ePids().size()
          ? stored
          : new HostIdentity(stored.hwid(), ePids);
    }

    private static void checkInterval(String name, Duration d) {
      if (d.compareTo(MIN_INTERVAL) < 0
          || d.compareTo(MAX_INTERVAL) > 0
          || d.toSecondsPart() != 0
          || d.toNanosPart() != 0) {
        throw new IllegalArgumentException(
            name + " must be whole minutes from 15 min to 30 days: " + d);
      }
    }
  }
}
