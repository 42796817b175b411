package io.github.kmsj.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.DailyCount;
import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.HostStore;
import io.github.kmsj.core.store.LoadedState;
import io.github.kmsj.core.store.StoreCluster;
import io.github.kmsj.core.store.StoreException;
import io.github.kmsj.core.store.StoreHealth;
import io.github.kmsj.core.store.StoreHealthListener;
import io.github.kmsj.core.store.StoreLoadReport;
import io.github.kmsj.core.time.Cancellable;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host store on PostgreSQL that several hosts share (docs/POSTGRESQL.md): the count in every
 * answer is the cluster's, the distinct CMIDs per application seen by any host in the last 30 days
 * at the answer's commit, at most twice the highest N policy any host saw; client records and
 * counters are shared; each host keeps its own identity unless hosts are given the same {@linkplain
 * Builder#identityName identity name}.
 *
 * <p>Notes. {@link #appendCounted} only queues the change. One writer thread, {@code
 * kmsj-pg-writer}, takes everything queued at once, merges it per (application, CMID) and records
 * it with one call of the {@code kmsj_record} function in autocommit mode, so one round trip and
 * one database commit carry the whole batch (group commit, as {@link FileHostStore} does with one
 * fsync); the function returns each application's count at that commit and the writer completes the
 * batch's futures with it. Batches of all hosts are serialised by one advisory lock in the
 * function, so two hosts recording the same CMID at the same moment make one record ({@code INSERT
 * … ON CONFLICT}) and every count is consistent with the database at its commit. No JDBC call ever
 * runs on a caller's thread.
 *
 * <p>A second thread, {@code kmsj-pg-reader}, follows the other hosts every {@code refreshEvery}
 * (default 1 s): it reads the records they changed since its last look (by the commit order {@code
 * seq}) and gives them to the host's ledger ({@link #follow}), which so mirrors the cluster for the
 * client lists and for the counts answered during an outage; and it reads the list of hosts.
 *
 * <p>Outage: a failed database call (connection refused or lost, or no answer within {@code
 * networkTimeout}, default 5 s) starts an outage: one ERROR line, and from then on every change is
 * written to the local write-ahead log, a {@link FileHostStore} in {@code walDirectory} with its
 * default power-loss durability, and acknowledged once forced there, with an empty count, so the
 * host answers with its own ledger's count: the cluster's count at the last refresh plus the new
 * CMIDs this host counted since. The reader tries the database every {@code retryEvery} (default 1
 * s); once it answers, the writer replays the logged changes into it (the same function, so the
 * cluster's count absorbs them exactly once per CMID), empties the log and leaves the outage (one
 * INFO line). A change in a batch whose commit failed may have been committed after all; replaying
 * it again adds to its request counter only. A host killed during an outage replays its log when it
 * next loads. A store whose database and log both fail is {@linkplain StoreHealth.Degraded
 * degraded}: it acknowledges nothing until the log writes again.
 */
public final class PostgresHostStore implements HostStore {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresHostStore.class);

  private static final String RECORD =
      "SELECT application_id, client_count FROM kmsj_record(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?, ?, ?)";

  private static final String CLIENT_COLUMNS =
      "application_id, cmid, workstation_name, sku_id, kms_counted_id, license_status,"
          + " required_client_count, remote, (extract(epoch from first_seen) * 1000000)::bigint,"
          + " (extract(epoch from last_seen) * 1000000)::bigint, request_count, in_count,"
          + " workstation_names, addresses, seq";

  /** How many merged rows one call of kmsj_record carries at most. */
  static final int MAX_ROWS = 2000;

  /** How many changed rows of other hosts one refresh reads at most. */
  private static final int FOLLOW_LIMIT = 20_000;

  private static final Duration CLEANUP_EVERY = Duration.ofMinutes(10);

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final String hostId;
  private final String identityName;
  private final Path walDirectory;
  private final FileHostStore wal;
  private final Scheduler time;
  private final Duration retryEvery;
  private final Duration refreshEvery;
  private final int networkTimeoutMillis;
  private final boolean migrate;

  private record Entry(HostChange change, CompletableFuture<OptionalInt> done) {}

  /** Guards the queue and the requests to the writer; never held during a database call. */
  private final Object queueLock = new Object();

  private List<Entry> queued = new ArrayList<>();
  private final List<CompletableFuture<Void>> flushWaiters = new ArrayList<>();
  private boolean recoverRequested;
  private boolean closing;
  private volatile boolean closed;
  private boolean loaded;

  // Owned by the writer thread once loaded.
  private Connection writerConnection;
  private PreparedStatement recordStatement;
  private final List<HostChange.ClientSeen> outageLog = new ArrayList<>();
  private boolean walHasIdentity;
  private HostIdentity pendingIdentity;

  /** The identity as stored or last appended; the local log is emptied with it. */
  private volatile HostIdentity identity;

  /** When the current outage began; null while the database is reachable. */
  private volatile Instant outageSince;

  private volatile long walChanges;
  private final AtomicLong outages = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong committedChanges = new AtomicLong();
  private final AtomicLong roundTrips = new AtomicLong();
  private final AtomicLong latencyTotalNanos = new AtomicLong();
  private volatile long lastLatencyNanos;
  private volatile long maxLatencyNanos;
  private volatile List<ClusterStatus.HostSeen> hosts = List.of();

  // The reader thread's.
  private final Object readerLock = new Object();
  private boolean refreshRequested;
  private boolean readerClosing;
  private Connection readerConnection;
  private long followedSeq;
  private Instant lastCleanup = Instant.EPOCH;
  private volatile Consumer<HostChange> follower;

  private LedgerLimits limits;
  private Thread writer;
  private Thread reader;
  private Cancellable refreshTimer;

  private PostgresHostStore(Builder b) {
    this.ownedPool = b.ownedPool;
    this.dataSource = b.dataSource;
    this.hostId = b.hostId;
    this.identityName = b.identityName;
    this.walDirectory = b.walDirectory;
    this.time = b.time;
    this.retryEvery = b.retryEvery;
    this.refreshEvery = b.refreshEvery;
    this.networkTimeoutMillis = (int) b.networkTimeout.toMillis();
    this.migrate = b.migrate;
    this.wal = FileHostStore.builder().directory(walDirectory).time(time).build();
  }

  /** A builder; {@link Builder#dataSource} or {@link Builder#connect}, and the log directory. */
  public static Builder builder() {
    return new Builder();
  }

  /** This host's name in the database. */
  public String hostId() {
    return hostId;
  }

  /** The directory of the local write-ahead log. */
  public Path walDirectory() {
    return walDirectory;
  }

  /** What the store knows about the cluster now: hosts, outage state, database latency. */
  public ClusterStatus cluster() {
    long n = commits.get();
    return new ClusterStatus(
        hostId,
        outageSince == null,
        Optional.ofNullable(outageSince),
        walChanges,
        outages.get(),
        hosts,
        n,
        committedChanges.get(),
        roundTrips.get(),
        Duration.ofNanos(latencyTotalNanos.get()),
        Duration.ofNanos(lastLatencyNanos),
        n == 0 ? Duration.ZERO : Duration.ofNanos(latencyTotalNanos.get() / n),
        Duration.ofNanos(maxLatencyNanos));
  }

  /** {@link #cluster()} in kms-core's terms, for the admin view. */
  @Override
  public Optional<StoreCluster> clusterView() {
    ClusterStatus c = cluster();
    return Optional.of(
        new StoreCluster(
            c.databaseReachable(),
            c.outageSince(),
            c.walChanges(),
            c.lastCommitLatency(),
            c.meanCommitLatency(),
            c.hosts().stream()
                .map(h -> new StoreCluster.Host(h.hostId(), h.lastSeen(), h.requests()))
                .toList()));
  }

  @Override
  public boolean isShared() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Healthy while the database or the local log acknowledges changes; during an outage, the
   * local log's health.
   */
  @Override
  public StoreHealth health() {
    return outageSince == null ? StoreHealth.HEALTHY : wal.health();
  }

  /** Tells {@code listener} of the local log's health changes, which matter during an outage. */
  @Override
  public void subscribe(StoreHealthListener listener) {
    wal.subscribe(listener);
  }

  @Override
  public void follow(Consumer<HostChange> ledger) {
    this.follower = Objects.requireNonNull(ledger, "ledger");
    requestRefresh();
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  /**
   * Migrates the schema, replays what the local log still holds from an outage into the database,
   * registers this host and reads the cluster's state.
   *
   * @throws StoreException if the database cannot be reached or holds an inconsistent state
   */
  @Override
  public LoadedState load(LedgerLimits limits) {
    Objects.requireNonNull(limits, "limits");
    synchronized (queueLock) {
      checkOpen();
      if (loaded) {
        throw new IllegalStateException("the store is already loaded by a host");
      }
    }
    this.limits = limits;
    LoadedState local = wal.load(limits);
    walHasIdentity = local.identity().isPresent();
    List<String> warnings = new ArrayList<>(local.report().warnings());
    long replayed = 0;
    LedgerState shared;
    Optional<HostIdentity> stored;
    try {
      if (migrate) {
        int ran = Schema.migrate(dataSource);
        if (ran > 0) {
          LOG.info("migrated the kmsj schema ({} migration(s))", ran);
        }
      }
      Connection c = writerConnection();
      stored = readIdentity(c);
      identity = stored.orElse(local.identity().orElse(null));
      registerHost(c);
      List<ClientRecord> logged = local.ledger().clients();
      if (!logged.isEmpty()) {
        List<Row> rows = new ArrayList<>(logged.size());
        logged.forEach(r -> rows.add(Row.of(r)));
        record(c, rows, Row.micros(local.ledger().asOf()));
        replayed = logged.size();
        warnings.add(
            "replayed "
                + logged.size()
                + " client record(s) from the local log in "
                + walDirectory
                + " into the database");
        LOG.info("replayed {} client record(s) from the local log in {}", replayed, walDirectory);
        if (identity != null) {
          wal.replace(new HostState(identity, LedgerState.EMPTY));
          walHasIdentity = true;
        }
      }
      shared = readState(c);
      refreshHosts(c);
    } catch (SQLException e) {
      closeWriterConnection();
      wal.close();
      throw new StoreException(
          "cannot load the cluster state from the database: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeWriterConnection();
      wal.close();
      throw e;
    }
    synchronized (queueLock) {
      loaded = true;
    }
    writer = DaemonThreadFactory.named("kmsj-pg-writer").newThread(this::writeLoop);
    writer.start();
    reader = DaemonThreadFactory.named("kmsj-pg-reader").newThread(this::readLoop);
    reader.start();
    refreshTimer = time.scheduleEvery(refreshEvery, minimum(refreshEvery, retryEvery), this::tick);
    return new LoadedState(
        stored.isPresent() ? stored : local.identity(),
        shared,
        new StoreLoadReport(Optional.empty(), replayed, warnings));
  }

  private static Duration minimum(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private Optional<HostIdentity> readIdentity(Connection c) throws SQLException {
    Bytes hwid = null;
    try (PreparedStatement s =
        c.prepareStatement("SELECT hwid FROM kmsj_identity WHERE name = ?")) {
      s.setString(1, identityName);
      roundTrips.incrementAndGet();
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          hwid = Bytes.of(r.getBytes(1));
        }
      }
    }
    if (hwid == null) {
      return Optional.empty();
    }
    Map<String, Epid> ePids = new HashMap<>();
    try (PreparedStatement s =
        c.prepareStatement("SELECT group_id, epid FROM kmsj_identity_epid WHERE name = ?")) {
      s.setString(1, identityName);
      roundTrips.incrementAndGet();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          ePids.put(r.getString(1), Epid.parse(r.getString(2)));
        }
      }
    }
    return Optional.of(new HostIdentity(hwid, ePids));
  }

  private void registerHost(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO kmsj_host (host_id, identity, started, last_seen) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (host_id) DO UPDATE SET identity = excluded.identity,"
                + " started = excluded.started")) {
      Instant now = time.instant();
      s.setString(1, hostId);
      s.setString(2, identityName);
      s.setObject(3, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
      s.setObject(4, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
      roundTrips.incrementAndGet();
      s.executeUpdate();
    }
  }

  /**
   * The cluster's ledger, read in one snapshot and shaped as a host's ledger holds it: records
   * beyond the retention or the record cap are left out, and an application's counted records are
   * its most recent ones, at most its capacity (a record evicted from the count on one host's clock
   * may be more recent than one counted on another's).
   */
  private LedgerState readState(Connection c) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      Map<Guid, Integer> policies = new LinkedHashMap<>();
      Map<Guid, List<DailyCount>> history = new HashMap<>();
      try (Statement s = c.createStatement()) {
        roundTrips.incrementAndGet();
        try (ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM kmsj_client")) {
          r.next();
          followedSeq = r.getLong(1);
        }
        roundTrips.incrementAndGet();
        try (ResultSet r =
            s.executeQuery(
                "SELECT application_id, highest_policy FROM kmsj_application"
                    + " ORDER BY first_counted, application_id")) {
          while (r.next()) {
            policies.put(Guid.of(r.getObject(1, UUID.class)), r.getInt(2));
          }
        }
        roundTrips.incrementAndGet();
        try (ResultSet r =
            s.executeQuery(
                "SELECT application_id, day, highest_count FROM kmsj_daily_count"
                    + " ORDER BY application_id, day")) {
          while (r.next()) {
            history
                .computeIfAbsent(Guid.of(r.getObject(1, UUID.class)), k -> new ArrayList<>())
                .add(
                    new DailyCount(
                        r.getObject(2, LocalDate.class),
                        Math.min(r.getInt(3), ClientLedger.MAX_COUNT)));
          }
        }
        roundTrips.incrementAndGet();
        List<ClientRecord> all = new ArrayList<>();
        try (ResultSet r =
            s.executeQuery(
                "SELECT "
                    + CLIENT_COLUMNS
                    + " FROM kmsj_client ORDER BY last_seen, application_id, cmid")) {
          while (r.next()) {
            all.add(clientRecord(r));
          }
        }
        c.commit();
        return shape(policies, history, all);
      }
    } finally {
      c.setAutoCommit(true);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
  }

  private LedgerState shape(
      Map<Guid, Integer> policies, Map<Guid, List<DailyCount>> history, List<ClientRecord> all) {
    Instant asOf = Instant.EPOCH;
    for (ClientRecord r : all) {
      if (r.lastSeen().isAfter(asOf)) {
        asOf = r.lastSeen();
      }
    }
    int from = Math.max(0, all.size() - limits.maxClients());
    Map<Guid, Integer> counted = new HashMap<>();
    Map<Guid, Boolean> blocked = new HashMap<>();
    ClientRecord[] kept = new ClientRecord[all.size() - from];
    int n = 0;
    for (int i = all.size() - 1; i >= from; i--) {
      ClientRecord r = all.get(i);
      if (!asOf.isBefore(r.lastSeen().plus(limits.retention()))) {
        break;
      }
      Guid app = r.applicationId();
      int cap = ClientLedger.capacityFor(policies.getOrDefault(app, 0));
      boolean inCount =
          r.inCount() && !blocked.getOrDefault(app, false) && counted.getOrDefault(app, 0) < cap;
      if (inCount) {
        counted.merge(app, 1, Integer::sum);
      } else {
        blocked.put(app, true);
      }
      kept[n++] = inCount == r.inCount() ? r : withInCount(r, inCount);
    }
    List<ClientRecord> clients = new ArrayList<>(n);
    for (int i = n - 1; i >= 0; i--) {
      clients.add(kept[i]);
    }
    List<LedgerState.Application> apps = new ArrayList<>(policies.size());
    policies.forEach(
        (app, policy) ->
            apps.add(
                new LedgerState.Application(
                    app, policy, recentDays(history.getOrDefault(app, List.of())))));
    return new LedgerState(asOf, apps, clients);
  }

  /**
   * The days of {@code days} (oldest first) a ledger keeps: the last {@link
   * ClientLedger#HISTORY_DAYS}.
   */
  private static List<DailyCount> recentDays(List<DailyCount> days) {
    if (days.isEmpty()) {
      return days;
    }
    long last = days.get(days.size() - 1).day().toEpochDay();
    return days.stream()
        .filter(d -> last - d.day().toEpochDay() < ClientLedger.HISTORY_DAYS)
        .toList();
  }

  private static ClientRecord withInCount(ClientRecord r, boolean inCount) {
    return new ClientRecord(
        r.cmid(),
        r.applicationId(),
        r.workstationName(),
        r.skuId(),
        r.kmsCountedId(),
        r.licenseStatus(),
        r.requiredClientCount(),
        r.remote(),
        r.firstSeen(),
        r.lastSeen(),
        r.requestCount(),
        inCount,
        r.workstationNames(),
        r.addresses());
  }

  private static ClientRecord clientRecord(ResultSet r) throws SQLException {
    List<String> names = new ArrayList<>();
    for (Object o : (Object[]) r.getArray(13).getArray()) {
      names.add((String) o);
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (Object o : (Object[]) r.getArray(14).getArray()) {
      Row.parseAddress((String) o).ifPresent(addresses::add);
    }
    return new ClientRecord(
        Guid.of(r.getObject(2, UUID.class)),
        Guid.of(r.getObject(1, UUID.class)),
        r.getString(3),
        Guid.of(r.getObject(4, UUID.class)),
        Guid.of(r.getObject(5, UUID.class)),
        LicenseStatus.of(r.getInt(6)),
        r.getInt(7),
        Row.parseRemote(r.getString(8)),
        Row.instant(r.getLong(9)),
        Row.instant(r.getLong(10)),
        r.getLong(11),
        r.getBoolean(12),
        names,
        addresses);
  }

  // ---------------------------------------------------------------------------------------------
  // Appending

  /**
   * {@inheritDoc}
   *
   * @throws StoreException if the store is degraded (database and local log both fail), closing or
   *     closed
   */
  @Override
  public CompletableFuture<Void> append(HostChange change) {
    return enqueue(change).thenApply(c -> null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Completes on the writer thread with the cluster's count at the batch's commit, or, during an
   * outage, with an empty count once the change is forced to the local log.
   */
  @Override
  public CompletableFuture<OptionalInt> appendCounted(HostChange.ClientSeen seen) {
    return enqueue(seen);
  }

  private CompletableFuture<OptionalInt> enqueue(HostChange change) {
    Objects.requireNonNull(change, "change");
    CompletableFuture<OptionalInt> done = new CompletableFuture<>();
    synchronized (queueLock) {
      checkOpen();
      if (!loaded) {
        throw new IllegalStateException("load() the store first");
      }
      if (closing) {
        throw new StoreException("the PostgreSQL store of host " + hostId + " is closing");
      }
      if (outageSince != null && !wal.health().isHealthy()) {
        throw new StoreException(
            "the database is unreachable since "
                + outageSince
                + " and the local log in "
                + walDirectory
                + " cannot write");
      }
      queued.add(new Entry(change, done));
      if (queued.size() == 1) {
        queueLock.notifyAll();
      }
    }
    return done;
  }

  /** The writer thread: commits batches, logs them locally during an outage, recovers. */
  private void writeLoop() {
    while (true) {
      List<Entry> batch;
      List<CompletableFuture<Void>> flushed;
      boolean recover;
      boolean last;
      synchronized (queueLock) {
        while (queued.isEmpty() && flushWaiters.isEmpty() && !recoverRequested && !closing) {
          try {
            queueLock.wait();
          } catch (InterruptedException e) {
            // Never leave with changes queued: the writer is stopped by close(), not interrupts.
          }
        }
        batch = queued;
        queued = new ArrayList<>();
        flushed = flushWaiters.isEmpty() ? List.of() : new ArrayList<>(flushWaiters);
        flushWaiters.clear();
        recover = recoverRequested;
        recoverRequested = false;
        last = closing;
      }
      try {
        if (outageSince != null && (recover || last)) {
          tryRecover();
        }
        if (!batch.isEmpty()) {
          if (outageSince == null) {
            try {
              commit(batch);
            } catch (SQLException | RuntimeException e) {
              enterOutage(e);
            }
          }
          if (outageSince != null) {
            logLocally(batch);
          }
        }
        if (!flushed.isEmpty()) {
          if (outageSince != null) {
            wal.flush();
          }
          flushed.forEach(f -> f.complete(null));
        }
      } catch (RuntimeException e) {
        StoreException failure =
            e instanceof StoreException se
                ? se
                : new StoreException("the PostgreSQL store of host " + hostId + " failed", e);
        for (Entry entry : batch) {
          entry.done().completeExceptionally(failure);
        }
        flushed.forEach(f -> f.completeExceptionally(failure));
      }
      if (last) {
        return;
      }
    }
  }

  /** Records a batch in the database and completes its futures with the counts. */
  private void commit(List<Entry> batch) throws SQLException {
    Connection c = writerConnection();
    Map<List<Guid>, Row> rows = new LinkedHashMap<>();
    long now = Long.MIN_VALUE;
    for (Entry e : batch) {
      if (e.change() instanceof HostChange.ClientSeen seen) {
        Row row = rows.get(List.of(seen.applicationId(), seen.cmid()));
        if (row == null) {
          rows.put(List.of(seen.applicationId(), seen.cmid()), Row.of(seen));
        } else {
          row.merge(seen);
        }
        now = Math.max(now, Row.micros(seen.time()));
      } else if (e.change() instanceof HostChange.IdentitySet set) {
        saveIdentity(c, set.identity());
      }
    }
    Map<Guid, Integer> counts =
        rows.isEmpty() ? Map.of() : record(c, new ArrayList<>(rows.values()), now);
    committedChanges.addAndGet(batch.size());
    for (Entry e : batch) {
      if (e.change() instanceof HostChange.ClientSeen seen) {
        e.done().complete(OptionalInt.of(counts.get(seen.applicationId())));
      } else {
        e.done().complete(OptionalInt.empty());
      }
    }
  }

  /**
   * Calls {@code kmsj_record} for {@code rows}, {@link #MAX_ROWS} at a time, one round trip and one
   * commit each; returns each application's count after the last.
   */
  private Map<Guid, Integer> record(Connection c, List<Row> rows, long nowMicros)
      throws SQLException {
    Map<Guid, Integer> counts = new HashMap<>();
    for (int from = 0; from < rows.size(); from += MAX_ROWS) {
      List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + MAX_ROWS));
      int n = chunk.size();
      UUID[] app = new UUID[n];
      UUID[] cmid = new UUID[n];
      Long[] first = new Long[n];
      Long[] last = new Long[n];
      Long[] requests = new Long[n];
      Integer[] policy = new Integer[n];
      Integer[] maxPolicy = new Integer[n];
      String[] name = new String[n];
      UUID[] sku = new UUID[n];
      UUID[] kms = new UUID[n];
      Integer[] status = new Integer[n];
      String[] remote = new String[n];
      String[] address = new String[n];
      long now = nowMicros;
      for (int i = 0; i < n; i++) {
        Row r = chunk.get(i);
        app[i] = r.applicationId.toUuid();
        cmid[i] = r.cmid.toUuid();
        first[i] = r.firstMicros;
        last[i] = r.lastMicros;
        requests[i] = r.requests;
        policy[i] = r.policy;
        maxPolicy[i] = r.maxPolicy;
        name[i] = r.workstationName;
        sku[i] = r.skuId.toUuid();
        kms[i] = r.kmsCountedId.toUuid();
        status[i] = r.licenseStatus;
        remote[i] = r.remote;
        address[i] = r.address;
        now = Math.max(now, r.lastMicros);
      }
      if (recordStatement == null) {
        recordStatement = c.prepareStatement(RECORD);
      }
      PreparedStatement s = recordStatement;
      s.setString(1, hostId);
      s.setLong(2, now);
      s.setArray(3, c.createArrayOf("uuid", app));
      s.setArray(4, c.createArrayOf("uuid", cmid));
      s.setArray(5, c.createArrayOf("int8", first));
      s.setArray(6, c.createArrayOf("int8", last));
      s.setArray(7, c.createArrayOf("int8", requests));
      s.setArray(8, c.createArrayOf("int4", policy));
      s.setArray(9, c.createArrayOf("int4", maxPolicy));
      s.setArray(10, c.createArrayOf("text", name));
      s.setArray(11, c.createArrayOf("uuid", sku));
      s.setArray(12, c.createArrayOf("uuid", kms));
      s.setArray(13, c.createArrayOf("int4", status));
      s.setArray(14, c.createArrayOf("text", remote));
      s.setArray(15, c.createArrayOf("text", address));
      long start = time.read();
      roundTrips.incrementAndGet();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          counts.put(Guid.of(r.getObject(1, UUID.class)), r.getInt(2));
        }
      }
      long took = time.read() - start;
      commits.incrementAndGet();
      latencyTotalNanos.addAndGet(took);
      lastLatencyNanos = took;
      if (took > maxLatencyNanos) {
        maxLatencyNanos = took;
      }
    }
    return counts;
  }

  private void saveIdentity(Connection c, HostIdentity id) throws SQLException {
    c.setAutoCommit(false);
    try {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO kmsj_identity (name, hwid) VALUES (?, ?)"
                  + " ON CONFLICT (name) DO UPDATE SET hwid = excluded.hwid")) {
        s.setString(1, identityName);
        s.setBytes(2, id.hwid().toArray());
        roundTrips.incrementAndGet();
        s.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO kmsj_identity_epid (name, group_id, epid) VALUES (?, ?, ?)"
                  + " ON CONFLICT (name, group_id) DO UPDATE SET epid = excluded.epid")) {
        for (Map.Entry<String, Epid> e : id.ePids().entrySet()) {
          s.setString(1, identityName);
          s.setString(2, e.getKey());
          s.setString(3, e.getValue().format());
          s.addBatch();
        }
        roundTrips.incrementAndGet();
        s.executeBatch();
      }
      roundTrips.incrementAndGet();
      c.commit();
      identity = id;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void enterOutage(Exception e) {
    outageSince = time.instant();
    outages.incrementAndGet();
    closeWriterConnection();
    LOG.error(
        "the database is unreachable ({}); host {} answers from its local log in {} until it"
            + " returns",
        firstLine(e.getMessage()),
        hostId,
        walDirectory);
    requestRefresh();
  }

  /** The first line of a driver message: PostgreSQL appends its context (Where: ...) below it. */
  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Writes the batch's unacknowledged changes to the local log; each completes once forced. */
  private void logLocally(List<Entry> batch) {
    if (!walHasIdentity && identity != null) {
      wal.append(new HostChange.IdentitySet(identity));
      walHasIdentity = true;
    }
    for (Entry e : batch) {
      if (e.done().isDone()) {
        continue;
      }
      HostChange change = e.change();
      if (change instanceof HostChange.ClockStepped) {
        e.done().complete(OptionalInt.empty());
        continue;
      }
      CompletableFuture<Void> forced;
      try {
        forced = wal.append(change);
      } catch (StoreException failure) {
        e.done().completeExceptionally(failure);
        continue;
      }
      if (change instanceof HostChange.ClientSeen seen) {
        outageLog.add(seen);
      } else if (change instanceof HostChange.IdentitySet set) {
        pendingIdentity = set.identity();
        identity = set.identity();
        walHasIdentity = true;
      }
      forced.whenComplete(
          (v, x) -> {
            if (x == null) {
              e.done().complete(OptionalInt.empty());
            } else {
              e.done()
                  .completeExceptionally(
                      x instanceof CompletionException ce && ce.getCause() != null
                          ? ce.getCause()
                          : x);
            }
          });
    }
    walChanges = outageLog.size();
  }

  /** Replays the local log into the database and leaves the outage; stays in it on failure. */
  private void tryRecover() {
    try {
      Connection c = writerConnection();
      wal.flush();
      if (pendingIdentity != null) {
        saveIdentity(c, pendingIdentity);
        pendingIdentity = null;
      }
      int replayed = outageLog.size();
      if (!outageLog.isEmpty()) {
        Map<List<Guid>, Row> rows = new LinkedHashMap<>();
        long now = Long.MIN_VALUE;
        for (HostChange.ClientSeen seen : outageLog) {
          Row row = rows.get(List.of(seen.applicationId(), seen.cmid()));
          if (row == null) {
            rows.put(List.of(seen.applicationId(), seen.cmid()), Row.of(seen));
          } else {
            row.merge(seen);
          }
          now = Math.max(now, Row.micros(seen.time()));
        }
        record(c, new ArrayList<>(rows.values()), now);
        committedChanges.addAndGet(replayed);
      }
      if (identity != null) {
        wal.replace(new HostState(identity, LedgerState.EMPTY));
        walHasIdentity = true;
      }
      outageLog.clear();
      walChanges = 0;
      Duration lasted = Duration.between(outageSince, time.instant());
      outageSince = null;
      LOG.info(
          "the database is reachable again after {}; {} change(s) from the local log replayed",
          lasted,
          replayed);
      requestRefresh();
    } catch (SQLException e) {
      closeWriterConnection();
      LOG.debug("the database is still unreachable: {}", e.getMessage());
    }
  }

  private Connection writerConnection() throws SQLException {
    if (writerConnection == null) {
      writerConnection = openConnection();
    }
    return writerConnection;
  }

  /**
   * A pooled connection in autocommit with the network timeout: each of the store's threads keeps
   * one.
   */
  private Connection openConnection() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      c.setAutoCommit(true);
      c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void closeWriterConnection() {
    recordStatement = null;
    if (writerConnection != null) {
      closeQuietly(writerConnection);
      writerConnection = null;
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing a broken database connection failed: {}", e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Following the other hosts

  private void tick() {
    requestRefresh();
  }

  private void requestRefresh() {
    synchronized (readerLock) {
      refreshRequested = true;
      readerLock.notifyAll();
    }
  }

  private void requestRecover() {
    synchronized (queueLock) {
      recoverRequested = true;
      queueLock.notifyAll();
    }
  }

  private void readLoop() {
    while (true) {
      synchronized (readerLock) {
        while (!refreshRequested && !readerClosing) {
          try {
            readerLock.wait();
          } catch (InterruptedException e) {
            // Stopped by close(), not interrupts.
          }
        }
        if (readerClosing) {
          break;
        }
        refreshRequested = false;
      }
      try {
        Connection c = readerConnection();
        if (outageSince != null) {
          try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
          }
          requestRecover();
        } else {
          followOthers(c);
          refreshHosts(c);
          cleanUp(c);
        }
      } catch (SQLException | RuntimeException e) {
        if (readerConnection != null) {
          closeQuietly(readerConnection);
          readerConnection = null;
        }
        LOG.debug("refreshing the cluster state failed: {}", e.getMessage());
      }
    }
    if (readerConnection != null) {
      closeQuietly(readerConnection);
      readerConnection = null;
    }
  }

  private Connection readerConnection() throws SQLException {
    if (readerConnection == null) {
      readerConnection = openConnection();
    }
    return readerConnection;
  }

  /**
   * Gives the host's ledger the records other hosts changed since the last look. Commits are
   * serialised and numbered in order, so everything up to the highest committed {@code seq} is
   * visible once that is.
   */
  private void followOthers(Connection c) throws SQLException {
    Consumer<HostChange> ledger = follower;
    if (ledger == null) {
      return;
    }
    long top;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM kmsj_client")) {
      r.next();
      top = r.getLong(1);
    }
    while (followedSeq < top) {
      long next = followedSeq;
      int n = 0;
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT "
                  + CLIENT_COLUMNS
                  + " FROM kmsj_client WHERE seq > ? AND seq <= ? AND last_host <> ?"
                  + " ORDER BY seq, last_seen LIMIT "
                  + FOLLOW_LIMIT)) {
        s.setLong(1, followedSeq);
        s.setLong(2, top);
        s.setString(3, hostId);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            ClientRecord rec = clientRecord(r);
            ledger.accept(
                new HostChange.ClientSeen(
                    rec.lastSeen(),
                    rec.applicationId(),
                    rec.cmid(),
                    rec.requiredClientCount(),
                    rec.workstationName(),
                    rec.skuId(),
                    rec.kmsCountedId(),
                    rec.licenseStatus(),
                    rec.remote()));
            next = Math.max(next, r.getLong(15));
            n++;
          }
        }
      }
      // A full page may end inside one commit's rows: take up to the commit before its last.
      followedSeq = n < FOLLOW_LIMIT ? top : Math.max(followedSeq + 1, next - 1);
    }
  }

  private void refreshHosts(Connection c) throws SQLException {
    List<ClusterStatus.HostSeen> seen = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT host_id, identity, started, last_seen, requests, commits FROM kmsj_host"
                    + " ORDER BY host_id")) {
      while (r.next()) {
        seen.add(
            new ClusterStatus.HostSeen(
                r.getString(1),
                r.getString(2),
                r.getObject(3, java.time.OffsetDateTime.class).toInstant(),
                r.getObject(4, java.time.OffsetDateTime.class).toInstant(),
                r.getLong(5),
                r.getLong(6)));
      }
    }
    hosts = List.copyOf(seen);
  }

  /** Forgets the records of clients not seen for the retention, every ten minutes. */
  private void cleanUp(Connection c) throws SQLException {
    Instant now = time.instant();
    if (now.isBefore(lastCleanup.plus(CLEANUP_EVERY))) {
      return;
    }
    lastCleanup = now;
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM kmsj_client WHERE last_seen < kmsj_time(?)")) {
      s.setLong(1, Row.micros(now.minus(limits.retention())));
      s.executeUpdate();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Replace, flush, close

  /**
   * Replaces the whole cluster's state with {@code state}, as an import does, and this host's
   * identity with its identity. Other hosts running on the database keep their mirrors until they
   * restart.
   *
   * @throws StoreException if the database fails or is unreachable
   */
  @Override
  public void replace(HostState state) {
    Objects.requireNonNull(state, "state");
    flush();
    if (outageSince != null) {
      throw new StoreException("cannot replace the cluster state: the database is unreachable");
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_xact_lock(4256985140)");
          s.executeUpdate("DELETE FROM kmsj_client");
          s.executeUpdate("DELETE FROM kmsj_application");
        }
        long seq;
        try (Statement s = c.createStatement();
            ResultSet r = s.executeQuery("SELECT nextval('kmsj_change_seq')")) {
          r.next();
          seq = r.getLong(1);
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO kmsj_application (application_id, highest_policy, first_counted)"
                    + " VALUES (?, ?, ?)")) {
          long order = 0;
          for (LedgerState.Application a : state.ledger().applications()) {
            s.setObject(1, a.applicationId().toUuid());
            s.setInt(2, a.highestPolicy());
            s.setLong(3, order++);
            s.addBatch();
          }
          s.executeBatch();
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO kmsj_daily_count (application_id, day, highest_count)"
                    + " VALUES (?, ?, ?)")) {
          for (LedgerState.Application a : state.ledger().applications()) {
            for (DailyCount d : a.history()) {
              s.setObject(1, a.applicationId().toUuid());
              s.setObject(2, d.day());
              s.setInt(3, d.highestCount());
              s.addBatch();
            }
          }
          s.executeBatch();
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO kmsj_client (application_id, cmid, workstation_name, sku_id,"
                    + " kms_counted_id, license_status, required_client_count, remote, first_seen,"
                    + " last_seen, request_count, in_count, workstation_names, addresses,"
                    + " last_host, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, kmsj_time(?),"
                    + " kmsj_time(?), ?, ?, ?, ?, ?, ?)")) {
          for (ClientRecord r : state.ledger().clients()) {
            Row row = Row.of(r);
            s.setObject(1, r.applicationId().toUuid());
            s.setObject(2, r.cmid().toUuid());
            s.setString(3, r.workstationName());
            s.setObject(4, r.skuId().toUuid());
            s.setObject(5, r.kmsCountedId().toUuid());
            s.setInt(6, r.licenseStatus().value());
            s.setInt(7, r.requiredClientCount());
            s.setString(8, row.remote);
            s.setLong(9, row.firstMicros);
            s.setLong(10, row.lastMicros);
            s.setLong(11, r.requestCount());
            s.setBoolean(12, r.inCount());
            s.setArray(13, c.createArrayOf("text", r.workstationNames().toArray()));
            s.setArray(
                14,
                c.createArrayOf("text", r.addresses().stream().map(Row::addressText).toArray()));
            s.setString(15, hostId);
            s.setLong(16, seq);
            s.addBatch();
          }
          s.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
      c.setAutoCommit(true);
      saveIdentity(c, state.identity());
    } catch (SQLException e) {
      throw new StoreException("cannot replace the cluster state: " + e.getMessage(), e);
    }
  }

  /**
   * Waits until every appended change is committed to the database, or, during an outage, forced to
   * the local log.
   *
   * @throws StoreException if the store fails
   */
  @Override
  public void flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (queueLock) {
      checkOpen();
      if (!loaded) {
        throw new IllegalStateException("load() the store first");
      }
      flushWaiters.add(done);
      queueLock.notifyAll();
    }
    HostStore.await(done);
  }

  /**
   * Commits what is queued (or logs it locally during an outage), stops both threads, and closes
   * the local log and the connection pool if the store made it. Changes still in the local log are
   * replayed when the store next loads.
   */
  @Override
  public void close() {
    synchronized (queueLock) {
      if (closed || closing) {
        return;
      }
      closing = true;
      queueLock.notifyAll();
    }
    if (refreshTimer != null) {
      refreshTimer.cancel();
    }
    if (writer != null) {
      joinQuietly(writer);
    }
    synchronized (readerLock) {
      readerClosing = true;
      readerLock.notifyAll();
    }
    if (reader != null) {
      joinQuietly(reader);
    }
    closeWriterConnection();
    if (walChanges > 0) {
      LOG.warn(
          "closing during a database outage: {} change(s) stay in the local log in {} and are"
              + " replayed when the store next loads",
          walChanges,
          walDirectory);
    }
    closed = true;
    try {
      wal.close();
    } finally {
      if (ownedPool != null) {
        ownedPool.close();
      }
    }
  }

  private static void joinQuietly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkOpen() {
    if (closed || closing && writer == null) {
      throw new StoreException("the PostgreSQL store of host " + hostId + " is closed");
    }
  }

  /**
   * What the store is and how the cluster is now, in one line: the admin view's store mode shows it
   * (hosts, database reachable or since when not, commit latency, changes waiting in the local
   * log).
   */
  @Override
  public String toString() {
    ClusterStatus c = cluster();
    String state =
        c.databaseReachable()
            ? "database reachable, last commit "
                + String.format(
                    java.util.Locale.ROOT, "%.1f ms", c.lastCommitLatency().toNanos() / 1e6)
            : "database unreachable since "
                + c.outageSince().map(Instant::toString).orElse("?")
                + ", "
                + c.walChanges()
                + " change(s) answered from the local log";
    return "the PostgreSQL store of host "
        + hostId
        + " ("
        + c.hosts().size()
        + " host(s) in the cluster; "
        + state
        + "; local log in "
        + walDirectory
        + ")";
  }

  /** Settings of a {@link PostgresHostStore}, each settable once, validated in {@link #build()}. */
  public static final class Builder {
    private DataSource dataSource;
    private String url;
    private StoreCredentials credentials;
    private HikariDataSource ownedPool;
    private String hostId;
    private String identityName;
    private Path walDirectory;
    private Scheduler time;
    private Duration retryEvery;
    private Duration refreshEvery;
    private Duration networkTimeout;
    private Boolean migrate;

    private Builder() {}

    private static <T> T once(T current, T value, String name) {
      Objects.requireNonNull(value, name);
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
      return value;
    }

    /** The database, as the embedder's own pool; the store never closes it. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = once(this.dataSource, dataSource, "dataSource");
      return this;
    }

    /**
     * The database by JDBC URL ({@code jdbc:postgresql://host:port/db}) and credentials: the store
     * makes its own small HikariCP pool and closes it. Replaces {@link #dataSource}.
     */
    public Builder connect(String url, StoreCredentials credentials) {
      if (url == null || !url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("the store URL must start with jdbc:postgresql: " + url);
      }
      this.url = once(this.url, url, "url");
      this.credentials = once(this.credentials, credentials, "credentials");
      return this;
    }

    /** This host's name in the database, unique in the cluster; default the machine's host name. */
    public Builder hostId(String hostId) {
      this.hostId = once(this.hostId, requireName(hostId, "hostId"), "hostId");
      return this;
    }

    /**
     * The name of the identity (ePIDs, HWID) the host answers with; hosts given the same name share
     * one. Default the {@link #hostId}: each host its own.
     */
    public Builder identityName(String name) {
      this.identityName =
          once(this.identityName, requireName(name, "identityName"), "identityName");
      return this;
    }

    /** The directory of the local write-ahead log used during outages. Required. */
    public Builder walDirectory(Path directory) {
      this.walDirectory = once(this.walDirectory, directory, "walDirectory");
      return this;
    }

    /** The clock and the timers; default {@link Scheduler#system()}. */
    public Builder time(Scheduler time) {
      this.time = once(this.time, time, "time");
      return this;
    }

    /** How often the database is tried during an outage; default 1 s. */
    public Builder retryEvery(Duration interval) {
      this.retryEvery = once(this.retryEvery, Scheduler.requireInterval(interval), "retryEvery");
      return this;
    }

    /** How often the other hosts' changes and the host list are read; default 1 s. */
    public Builder refreshEvery(Duration interval) {
      this.refreshEvery =
          once(this.refreshEvery, Scheduler.requireInterval(interval), "refreshEvery");
      return this;
    }

    /**
     * How long a database call may go unanswered before the store treats the database as
     * unreachable; 100 ms to 5 min, default 5 s.
     */
    public Builder networkTimeout(Duration timeout) {
      if (timeout.compareTo(Duration.ofMillis(100)) < 0
          || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("networkTimeout must be 100 ms to 5 min: " + timeout);
      }
      this.networkTimeout = once(this.networkTimeout, timeout, "networkTimeout");
      return this;
    }

    /** Whether {@link #load} migrates the schema first; default true. */
    public Builder migrate(boolean migrate) {
      this.migrate = once(this.migrate, migrate, "migrate");
      return this;
    }

    private static String requireName(String name, String what) {
      Objects.requireNonNull(name, what);
      if (name.isBlank() || name.length() > 200) {
        throw new IllegalArgumentException(what + " must be 1-200 characters: '" + name + "'");
      }
      return name;
    }

    /**
     * The store, with its local log's directory opened and locked; {@link #load} connects.
     *
     * @throws IllegalArgumentException if no database or log directory was given
     * @throws StoreException if the log directory cannot be opened or is in use
     */
    public PostgresHostStore build() {
      if (dataSource == null && url == null) {
        throw new IllegalArgumentException("a dataSource or a JDBC URL is required");
      }
      if (dataSource != null && url != null) {
        throw new IllegalArgumentException("give a dataSource or a JDBC URL, not both");
      }
      if (walDirectory == null) {
        throw new IllegalArgumentException("walDirectory is required");
      }
      Builder b = new Builder();
      b.hostId = hostId == null ? localHostName() : hostId;
      b.identityName = identityName == null ? b.hostId : identityName;
      b.walDirectory = walDirectory;
      b.time = time == null ? Scheduler.system() : time;
      b.retryEvery = retryEvery == null ? Duration.ofSeconds(1) : retryEvery;
      b.refreshEvery = refreshEvery == null ? Duration.ofSeconds(1) : refreshEvery;
      b.networkTimeout = networkTimeout == null ? Duration.ofSeconds(5) : networkTimeout;
      b.migrate = migrate == null || migrate;
      if (url != null) {
        b.ownedPool = pool(url, credentials, b.networkTimeout);
        b.dataSource = b.ownedPool;
      } else {
        b.dataSource = dataSource;
      }
      try {
        return new PostgresHostStore(b);
      } catch (RuntimeException e) {
        if (b.ownedPool != null) {
          b.ownedPool.close();
        }
        throw e;
      }
    }

    private static HikariDataSource pool(
        String url, StoreCredentials credentials, Duration timeout) {
      HikariConfig config = new HikariConfig();
      config.setPoolName("kmsj-pg");
      config.setJdbcUrl(url);
      config.setUsername(credentials.user());
      config.setPassword(credentials.password());
      // The writer and the reader hold one connection each; Flyway and imports borrow one more.
      config.setMaximumPoolSize(4);
      config.setMinimumIdle(2);
      config.setConnectionTimeout(Math.max(250, Math.min(timeout.toMillis(), 2000)));
      config.setValidationTimeout(Math.max(250, Math.min(timeout.toMillis(), 1000)));
      // Start even while the database is down: load() reports it.
      config.setInitializationFailTimeout(-1);
      config.setThreadFactory(DaemonThreadFactory.numbered("kmsj-pg-pool"));
      config.addDataSourceProperty("ApplicationName", "kmsj");
      config.addDataSourceProperty("connectTimeout", "2");
      config.addDataSourceProperty("tcpKeepAlive", "true");
      return new HikariDataSource(config);
    }

    private static String localHostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException(
            "hostId is required: this machine's host name is unknown (" + e.getMessage() + ")");
      }
    }
  }
}
