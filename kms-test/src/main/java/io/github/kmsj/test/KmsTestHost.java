package io.github.kmsj.test;

import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.InProcessActivation;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.HostStore;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.Guid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * A running KMS host for a test, a client pointed at it and the one {@linkplain ManualScheduler
 * manual clock} both read: every request carries the virtual time the host checks it against, so
 * {@link #advance advance(Duration.ofDays(31))} ages every client out in one call and the ±4 h
 * clock check never refuses one. Over a socket (a {@link KmsServer} on an ephemeral loopback port
 * and a {@link KmsClient}) or {@linkplain Builder#inProcess() in process} through {@link
 * InProcessActivation}, with the same methods.
 *
 * <p>Thread-safe: any thread may activate, read or advance while others do. Closing stops the
 * server, closes the host and its store, and deletes a store directory the kit created.
 *
 * <p>Inject one with {@link KmsTest @KmsTest} or {@link KmsHostExtension}, or build one with {@link
 * #builder()} and close it yourself.
 */
public final class KmsTestHost implements AutoCloseable {
  /** The virtual time a host starts at unless {@link Builder#startTime} says otherwise. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * The seed of every random choice (ePIDs, salts, CMIDs) unless {@link Builder#seed} says
   * otherwise, so that a failing test repeats exactly.
   */
  public static final long DEFAULT_SEED = 1688;

  private final ManualScheduler time;
  private final KmsHost host;
  private final KmsServer server;
  private final KmsClient client;
  private final Target target;
  private final RandomGenerator cmids;
  private final RandomGenerator inProcessRandom;
  private final List<RequestEvent> events = new ArrayList<>();
  private final Path ownedDirectory;
  private final Object closeLock = new Object();
  private boolean closed;

  private KmsTestHost(Builder b) {
    this.time = new ManualScheduler(b.start);
    SplittableRandom seeds = new SplittableRandom(b.seed);
    this.cmids = locked(seeds.split());
    this.inProcessRandom = locked(seeds.split());
    RandomGenerator hostRandom = locked(seeds.split());
    RandomGenerator clientRandom = locked(seeds.split());
    this.ownedDirectory = b.fileStoreInTempDirectory ? createTempDirectory() : null;
    HostStore store;
    if (ownedDirectory != null) {
      store = FileHostStore.builder().directory(ownedDirectory).build();
    } else if (b.fileStoreDirectory != null) {
      store = FileHostStore.builder().directory(b.fileStoreDirectory).build();
    } else if (b.store != null) {
      store = Objects.requireNonNull(b.store.get(), "the store supplier returned null");
    } else {
      store = HostStore.none();
    }
    KmsHost.Builder hb =
        KmsHost.builder()
            .time(time)
            .random(hostRandom)
            .store(store)
            .listener(
                e -> {
                  synchronized (events) {
                    events.add(e);
                  }
                });
    if (b.hostKeyGroups != null) {
      hb.hostKeyGroups(b.hostKeyGroups);
    }
    if (b.activationInterval != null) {
      hb.activationInterval(b.activationInterval);
    }
    if (b.renewalInterval != null) {
      hb.renewalInterval(b.renewalInterval);
    }
    try {
      for (Consumer<KmsHost.Builder> c : b.hostSettings) {
        c.accept(hb);
      }
    } catch (RuntimeException | Error e) {
      try {
        store.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      deleteOwnedDirectory(e);
      throw e;
    }
    try {
      this.host = hb.build(); // closes the store itself when it fails
    } catch (RuntimeException | Error e) {
      deleteOwnedDirectory(e);
      throw e;
    }
    if (b.inProcess) {
      this.server = null;
      this.client = null;
      this.target = null;
      return;
    }
    try {
      // The server keeps the system scheduler. Its timers are idle timeouts and accept back-off
      // only; request time is the host's clock, which is the manual one. On virtual time an
      // advance past the idle timeout would close connections in the middle of their requests,
      // and the 1 s idle tick makes a 31-day advance run 2.7 million tasks (measured: 0.5 s).
      this.server =
          KmsServer.builder(host.rpcHandler())
              .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .eventLoops(1)
              .daemon(true)
              .build()
              .start();
    } catch (RuntimeException | Error e) {
      closeQuietly(host, e);
      deleteOwnedDirectory(e);
      throw e;
    }
    this.target = Target.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    this.client =
        KmsClient.builder()
            .clock(time)
            .random(clientRandom)
            .timeouts(Duration.ofSeconds(10))
            .build();
  }

  /** A builder: a socket host with kms-core's defaults, no store, at {@link #DEFAULT_START}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The manual clock the host and the client share. */
  public ManualScheduler time() {
    return time;
  }

  /** The current virtual time. */
  public Instant now() {
    return time.instant();
  }

  /**
   * Moves the shared clock forward by {@code duration} in one step, running any timers due on the
   * way.
   *
   * @return the new virtual time
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public Instant advance(Duration duration) {
    time.advance(duration);
    return time.instant();
  }

  /** The host. */
  public KmsHost host() {
    return host;
  }

  /** Whether requests go through {@link InProcessActivation} instead of a socket. */
  public boolean isInProcess() {
    return server == null;
  }

  /**
   * The loopback port the server listens on.
   *
   * @throws IllegalStateException for an in-process host, which has no server
   */
  public int port() {
    return requireServer().port();
  }

  /**
   * The address of the server, for a {@link KmsClient} of the test's own.
   *
   * @throws IllegalStateException for an in-process host
   */
  public Target target() {
    requireServer();
    return target;
  }

  /**
   * The client pointed at the server; its requests carry the shared clock's time.
   *
   * @throws IllegalStateException for an in-process host
   */
  public KmsClient client() {
    requireServer();
    return client;
  }

  private KmsServer requireServer() {
    if (server == null) {
      throw new IllegalStateException(
          "an in-process test host has no server or client: build it without inProcess()");
    }
    return server;
  }

  /** A request of {@code product} from a new client: a CMID never drawn before by this host. */
  public ActivationRequest request(TestProduct product) {
    return product.request().randomCmid(cmids).build();
  }

  /** Activates {@code request} over the socket, or in process, at the shared clock's time. */
  public ActivationResult activate(ActivationRequest request) {
    Objects.requireNonNull(request, "request");
    if (server == null) {
      return InProcessActivation.activate(host, request, time.instant(), inProcessRandom);
    }
    return client.activate(target, request);
  }

  /** Activates one new client of {@code product}. */
  public ActivationResult activate(TestProduct product) {
    return activate(request(product));
  }

  /**
   * Activates {@code clients} new clients of {@code product}, one after another.
   *
   * @return their results, in order
   */
  public List<ActivationResult> activate(TestProduct product, int clients) {
    if (clients < 0) {
      throw new IllegalArgumentException("clients must not be negative: " + clients);
    }
    List<ActivationResult> results = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      results.add(activate(product));
    }
    return results;
  }

  /** The host's current count for {@code applicationId}, at the host's time. */
  public int count(Guid applicationId) {
    return host.currentCount(applicationId, host.now());
  }

  /** The host's current count for the application of {@code product}. */
  public int count(TestProduct product) {
    return count(product.applicationId());
  }

  /** The client records the host keeps, least recently seen first, counted or aged out. */
  public List<ClientRecord> clients() {
    return host.state(host.now()).clients();
  }

  /** Every request the host has handled so far, in order. */
  public List<RequestEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** The directory of the host's file store, when it has one from {@link Builder#fileStore}. */
  public Optional<Path> storeDirectory() {
    return host.store() instanceof FileHostStore f ? Optional.of(f.directory()) : Optional.empty();
  }

  /**
   * Stops the server, closes the host (flushing its store) and deletes a store directory the kit
   * created; a second call does nothing.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    RuntimeException failure = null;
    try {
      if (server != null) {
        server.close();
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      host.close();
    } catch (RuntimeException e) {
      failure = addTo(failure, e);
    }
    if (ownedDirectory != null) {
      try {
        deleteRecursively(ownedDirectory);
      } catch (UncheckedIOException e) {
        failure = addTo(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "KmsTestHost["
        + (server == null ? "in-process" : "127.0.0.1:" + server.port())
        + ", "
        + time.instant()
        + "]";
  }

  private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /** A generator whose draws are serialised, so that concurrent requests may share it. */
  private static RandomGenerator locked(SplittableRandom random) {
    return () -> {
      synchronized (random) {
        return random.nextLong();
      }
    };
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("kmsj-test-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a store directory", e);
    }
  }

  private static void closeQuietly(KmsHost host, Throwable failure) {
    try {
      host.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void deleteOwnedDirectory(Throwable failure) {
    if (ownedDirectory != null) {
      try {
        deleteRecursively(ownedDirectory);
      } catch (UncheckedIOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the store directory " + directory, e);
    }
  }

  /**
   * Settings of a {@link KmsTestHost}. {@link #start()} may be called many times; each call starts
   * an independent host with its own clock, ledger and store.
   */
  public static final class Builder {
    private boolean inProcess;
    private Instant start = DEFAULT_START;
    private long seed = DEFAULT_SEED;
    private List<String> hostKeyGroups;
    private Duration activationInterval;
    private Duration renewalInterval;
    private Supplier<? extends HostStore> store;
    private boolean fileStoreInTempDirectory;
    private Path fileStoreDirectory;
    private final List<Consumer<KmsHost.Builder>> hostSettings = new ArrayList<>();

    private Builder() {}

    /** Requests go through {@link InProcessActivation}: no server, no client, no socket. */
    public Builder inProcess() {
      this.inProcess = true;
      return this;
    }

    /** The virtual time the clock starts at; default {@link KmsTestHost#DEFAULT_START}. */
    public Builder startTime(Instant start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /** The seed of ePIDs, salts and CMIDs; default {@link KmsTestHost#DEFAULT_SEED}. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The host-key groups by catalog ID, for example {@code "windows-10"}, {@code
     * "office-ltsc-2024"}; default kms-core's (Windows Server 2025 and every Office group).
     */
    public Builder hostKeyGroups(String... groupIds) {
      this.hostKeyGroups = List.of(groupIds);
      return this;
    }

    /** How long an unactivated client waits before retrying; default 120 min. */
    public Builder activationInterval(Duration interval) {
      this.activationInterval = Objects.requireNonNull(interval, "activationInterval");
      return this;
    }

    /** How often an activated client renews; default 7 days. */
    public Builder renewalInterval(Duration interval) {
      this.renewalInterval = Objects.requireNonNull(interval, "renewalInterval");
      return this;
    }

    /** Where each host keeps its state: called once per {@link #start()}; default none. */
    public Builder store(Supplier<? extends HostStore> store) {
      this.store = Objects.requireNonNull(store, "store");
      this.fileStoreInTempDirectory = false;
      this.fileStoreDirectory = null;
      return this;
    }

    /**
     * Each host keeps its state in a {@link FileHostStore} in a new temporary directory, deleted
     * when the host closes.
     */
    public Builder fileStore() {
      this.fileStoreInTempDirectory = true;
      this.fileStoreDirectory = null;
      this.store = null;
      return this;
    }

    /**
     * The host keeps its state in a {@link FileHostStore} in {@code directory}, which outlives the
     * host: a second host started on it restores the first one's identity and ledger.
     */
    public Builder fileStore(Path directory) {
      this.fileStoreDirectory = Objects.requireNonNull(directory, "directory");
      this.fileStoreInTempDirectory = false;
      this.store = null;
      return this;
    }

    /**
     * Any further host setting, applied to each host's builder after the kit's own: a listener, a
     * catalog, strict coverage. The kit sets {@code time}, {@code random} and {@code store}, which
     * cannot be set again (kms-core's builder refuses a setting made twice).
     */
    public Builder host(Consumer<KmsHost.Builder> settings) {
      hostSettings.add(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * Starts a host, and for a socket host its server and client.
     *
     * @throws IllegalArgumentException naming a host setting that is out of range
     * @throws io.github.kmsj.core.store.StoreException if the store cannot be loaded
     * @throws UncheckedIOException if the server cannot listen or the store directory cannot be
     *     created
     */
    public KmsTestHost start() {
      return new KmsTestHost(this);
    }
  }
}
