package io.github.kmsj.examples;

import io.github.kmsj.core.admin.HostAdmin;
import io.github.kmsj.core.host.JsonLinesRequestLogger;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestCounters;
import io.github.kmsj.core.host.RequestCountersSnapshot;
import io.github.kmsj.core.host.Slf4jRequestLogger;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.management.KmsManagement;
import io.github.kmsj.core.store.Durability;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.HostStore;
import io.github.kmsj.core.time.Cancellable;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.dns.PublishListener;
import io.github.kmsj.dns.SrvPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code kmsj host} runs besides the server: the file store, the request loggers, the counters
 * and their JMX MBean, and a {@code status.txt} in the data directory that {@code kmsj status}
 * prints while the host holds the directory's lock.
 */
final class HostRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HostRuntime.class);
  static final String STATUS_FILE = "status.txt";

  /**
   * The client rows in the live status file: formatting every client every 5 s would cost a busy
   * host.
   */
  static final int LIVE_CLIENT_ROWS = 200;

  private static final Duration STATUS_INTERVAL = Duration.ofSeconds(5);

  private final KmsServer server;
  private final KmsHost host;
  private KmsManagement management;
  private final Scheduler scheduler = Scheduler.system();
  private ExecutorService statusWriter;
  private Cancellable statusTimer;
  private final AtomicBoolean statusQueued = new AtomicBoolean();
  private final Optional<Path> dataDir;
  private final RequestCounters counters;
  private final JsonLinesRequestLogger jsonLog;
  private final Optional<IntFunction<SrvPublisher.Builder>> dnsPublisher;
  private SrvPublisher publisher;
  private HostAdmin admin;
  private final Optional<AdminSetup> adminEndpoint;
  private final Optional<SavedConfig> saved;
  private final boolean dnsPublish;
  private final boolean lowPriority;

  HostRuntime(KmsServer server, KmsHost host, Extras extras) {
    this.server = server;
    this.host = host;
    this.dataDir = extras.dataDir();
    this.counters = extras.counters();
    this.jsonLog = extras.jsonLog();
    this.dnsPublisher = extras.dnsPublisher();
    this.adminEndpoint = extras.adminEndpoint();
    this.saved = extras.saved().map(f -> f.apply(server));
    this.dnsPublish = extras.dnsPublish();
    this.lowPriority = extras.lowPriority();
  }

  /** What {@link #configure} added to a host builder besides the store. */
  record Extras(
      Optional<Path> dataDir,
      Optional<HostStore> store,
      RequestCounters counters,
      JsonLinesRequestLogger jsonLog,
      Optional<IntFunction<SrvPublisher.Builder>> dnsPublisher,
      Optional<AdminSetup> adminEndpoint,
      Optional<java.util.function.Function<KmsServer, SavedConfig>> saved,
      boolean dnsPublish,
      boolean lowPriority) {

    /** Closes the store and the JSON log of a host that failed to build. */
    void close() {
      store.ifPresent(HostStore::close);
      if (jsonLog != null) {
        jsonLog.close();
      }
    }
  }

  /** Starts the server, registers the MBean and, with a data directory, the status file writer. */
  HostRuntime start() {
    server.start();
    if (lowPriority) {
      server.lowPriority(true);
    }
    management = KmsManagement.builder(host, counters).name("kmsj").server(server).register();
    if (dataDir.isPresent()) {
      statusWriter = Executors.newSingleThreadExecutor(DaemonThreadFactory.named("kmsj-status"));
      statusTimer = scheduler.scheduleEvery(Duration.ZERO, STATUS_INTERVAL, this::queueStatus);
    }
    if (dnsPublisher.isPresent()) {
      SrvPublisher.Builder publishing = dnsPublisher.get().apply(server.port());
      adminEndpoint.ifPresent(
          a -> publishing.listener(PublishListener.logging().andThen(a.dnsListener())));
      publisher = publishing.build();
      if (dnsPublish) {
        publisher.start();
      } else {
        publisher.setEnabled(false); // slmgr /cdns was saved: keep this host's records removed
      }
    }
    HostAdmin.Builder b =
        HostAdmin.builder(host).server(server).counters(counters).version(Kmsj.Version.version());
    if (publisher != null) {
      b.dnsPublishing(publisher);
    }
    saved.ifPresent(b::listener);
    admin = b.build();
    saved.ifPresent(SavedConfig::write);
    // The HTTP admin endpoint (kms-admin-http) mounts here, on admin().
    adminEndpoint.ifPresent(a -> a.start(host, server, admin));
    return this;
  }

  /** The live administration of the running host; available once {@link #start()} returned. */
  HostAdmin admin() {
    if (admin == null) {
      throw new IllegalStateException("the host is not started");
    }
    return admin;
  }

  /** Adds the store, the loggers and the counters the options ask for to {@code host}. */
  static Extras configure(HostCommand options, KmsHost.Builder host) {
    RequestCounters counters = new RequestCounters();
    host.listener(counters).listener(new Slf4jRequestLogger());
    if (options.noStore && (options.dataDir != null || options.durability != null)) {
      throw new UsageException("--no-store cannot be combined with --data-dir or --durability");
    }
    if (options.store == null && (options.storeCredentials != null || options.hostId != null)) {
      throw new UsageException("--store-credentials and --host-id need --store URL");
    }
    if (options.store != null && (options.noStore || options.durability != null)) {
      throw new UsageException("--store cannot be combined with --no-store or --durability");
    }
    Durability mode = durability(options.durability == null ? "power-loss" : options.durability);
    Optional<Duration> groupWait = groupWait(options, mode);
    Optional<IntFunction<SrvPublisher.Builder>> dns = Optional.empty();
    if (options.dnsHost != null) {
      PublishOptions publish = options.publishOptions();
      publish.publisher(1688, Duration.ofSeconds(5)); // check the options now
      dns = Optional.of(port -> publish.publisher(port, Duration.ofSeconds(5)));
    }
    Optional<Path> dataDir = Optional.empty();
    Optional<HostStore> store = Optional.empty();
    if (options.store != null) {
      Path dir = options.dataDir == null ? Path.of("kmsj-data") : options.dataDir;
      store =
          Optional.of(
              ClusterStore.open(options.store, options.storeCredentials, options.hostId, dir));
      host.store(store.get());
      dataDir = Optional.of(dir);
    } else if (!options.noStore) {
      Path dir = options.dataDir == null ? Path.of("kmsj-data") : options.dataDir;
      FileHostStore.Builder file = FileHostStore.builder().directory(dir).durability(mode);
      groupWait.ifPresent(file::groupWait);
      store = Optional.of(file.build());
      host.store(store.get());
      dataDir = Optional.of(dir);
    }
    JsonLinesRequestLogger json = null;
    if (options.jsonLog != null) {
      json =
          options.jsonLog.equals("-")
              ? JsonLinesRequestLogger.toStream(System.out)
              : JsonLinesRequestLogger.toFile(Path.of(options.jsonLog), 10L << 20, 5);
      host.listener(json);
    }
    Optional<AdminSetup> admin;
    try {
      admin = AdminSetup.configure(options, host, dataDir);
    } catch (RuntimeException e) {
      store.ifPresent(HostStore::close);
      if (json != null) {
        json.close();
      }
      throw e;
    }
    Optional<java.util.function.Function<KmsServer, SavedConfig>> saved =
        dataDir.map(d -> server -> SavedConfig.of(d, options.spec, server::localAddresses));
    return new Extras(
        dataDir, store, counters, json, dns, admin, saved, options.dnsPublish, options.lowPriority);
  }

  /** {@code --group-wait}, checked; empty when not given (the store's default applies). */
  private static Optional<Duration> groupWait(HostCommand options, Durability mode) {
    if (options.groupWaitMicros == null) {
      return Optional.empty();
    }
    if (options.noStore || options.store != null) {
      throw new UsageException(
          "--group-wait is for the file store: not with --no-store or --store");
    }
    if (!(mode instanceof Durability.SurvivesPowerLoss)) {
      throw new UsageException(
          "--group-wait needs --durability power-loss (process-crash has no"
              + " fsync per answer to share)");
    }
    int micros = options.groupWaitMicros;
    if (micros < 0 || micros > 10_000) {
      throw new UsageException("--group-wait must be 0 to 10000 microseconds: " + micros);
    }
    return Optional.of(Duration.ofNanos(micros * 1000L));
  }

  private static Durability durability(String mode) {
    switch (mode) {
      case "power-loss":
        return Durability.SURVIVES_POWER_LOSS;
      case "process-crash":
        return Durability.survivesProcessCrash(Duration.ofMillis(100));
      default:
        throw new UsageException("--durability must be power-loss or process-crash: " + mode);
    }
  }

  KmsHost host() {
    return host;
  }

  KmsServer server() {
    return server;
  }

  Optional<Path> dataDir() {
    return dataDir;
  }

  /** The admin endpoint, when {@code --admin} asked for one and the host started. */
  Optional<io.github.kmsj.admin.http.AdminHttpServer> adminEndpoint() {
    return adminEndpoint.flatMap(AdminSetup::server);
  }

  /**
   * On the timer thread: hands one status write to {@code kmsj-status}, unless one is already
   * waiting there, so a slow disk never queues up writes.
   */
  private void queueStatus() {
    if (!statusQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      statusWriter.execute(
          () -> {
            statusQueued.set(false);
            writeStatus();
          });
    } catch (RejectedExecutionException e) {
      statusQueued.set(false);
      log.debug("status writer stopped; write dropped", e);
    }
  }

  private void writeStatus() {
    Path dir = dataDir.orElseThrow();
    try {
      Instant now = scheduler.instant();
      HostState state = host.state(now);
      Optional<RequestCountersSnapshot> snapshot = Optional.of(counters.snapshot());
      String text = StatusTable.format(state, snapshot, host.catalog(), now, LIVE_CLIENT_ROWS);
      replace(dir, STATUS_FILE, text);
      String json = Json.text(Json.status(state, snapshot, host.catalog(), now, LIVE_CLIENT_ROWS));
      replace(dir, StateCommand.STATUS_JSON_FILE, json + "\n");
    } catch (IOException | RuntimeException e) {
      log.warn("could not write {}: {}", dir.resolve(STATUS_FILE), Kmsj.describe(e));
    }
  }

  /** Stops with the default 5-second drain. */
  private static void replace(Path dir, String name, String text) throws IOException {
    Path tmp = dir.resolve(name + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        dir.resolve(name),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /**
   * Stops accepting, lets requests in flight finish for at most {@code drain}, then closes the
   * store, the MBean and the loggers.
   */
  void close(Duration drain) {
    adminEndpoint.ifPresent(AdminSetup::close);
    if (publisher != null) {
      publisher
          .close(); // the record stays published, as a genuine host's does (kmsj dns remove drops
      // it)
    }
    if (!server.stop(drain)) {
      log.warn(
          "requests still in flight after the {} s drain were cut off", drain.toMillis() / 1000.0);
    }
    if (statusTimer != null) {
      statusTimer.cancel();
      statusWriter.shutdown();
      // A write already queued would otherwise race the last write and the removal below, and
      // could leave a status file (or its .tmp) behind in a host's stopped data directory.
      try {
        if (!statusWriter.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("the status writer did not finish within 5 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (dataDir.isPresent()) {
      writeStatus();
      for (String name : new String[] {STATUS_FILE, StateCommand.STATUS_JSON_FILE}) {
        try {
          Files.deleteIfExists(dataDir.get().resolve(name));
        } catch (IOException e) {
          log.warn("could not remove {}", dataDir.get().resolve(name), e);
        }
      }
    }
    if (management != null) {
      management.close();
    }
    host.close();
    if (jsonLog != null) {
      jsonLog.close();
    }
  }
}
