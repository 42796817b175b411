package io.github.kmsj.core.client;

import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/**
 * A KMS client: sends activation requests to a configured host or to the hosts discovery finds,
 * checks every answer as vlmcs does, and judges it as a Windows client would (docs/PROTOCOL.md
 * §6.8, §10).
 *
 * <p>Blocking I/O on {@link java.net.Socket}, each stage bounded by its own timeout; the async API
 * runs the blocking call on the configured executor. Thread-safe: each call uses its own
 * connection, and the random generator is used under a lock.
 */
public final class KmsClient {
  private final Duration connectTimeout;
  private final Duration bindTimeout;
  private final Duration requestTimeout;
  private final ClientRpcOptions rpcOptions;
  private final ConnectionMode connectionMode;
  private final KmsHostLocator locator;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final Executor executor;

  private KmsClient(Builder b) {
    this.connectTimeout = b.connectTimeout;
    this.bindTimeout = b.bindTimeout;
    this.requestTimeout = b.requestTimeout;
    this.rpcOptions = b.rpcOptions;
    this.connectionMode = b.connectionMode;
    this.locator = b.locator;
    this.clock = b.clock;
    this.random = b.random;
    this.executor = b.executor;
  }

  /** A builder with the defaults listed on its setters. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends one request on a new connection and returns the outcome; never throws for a network or
   * protocol problem.
   *
   * @throws IllegalStateException when {@code target} asks for discovery and no locator is
   *     configured
   */
  public ActivationResult activate(Target target, ActivationRequest request) {
    Objects.requireNonNull(request, "request");
    try (KmsSession session = open(target)) {
      return session.activate(request);
    }
  }

  /** {@link #activate} on the configured executor. */
  public CompletableFuture<ActivationResult> activateAsync(
      Target target, ActivationRequest request) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(request, "request");
    return CompletableFuture.supplyAsync(() -> activate(target, request), executor);
  }

  /**
   * A session that sends several requests to {@code target} as the connection mode says; it
   * connects at its first request.
   *
   * @throws IllegalStateException when {@code target} asks for discovery and no locator is
   *     configured
   */
  public KmsSession open(Target target) {
    Objects.requireNonNull(target, "target");
    if (target instanceof Target.Discover && locator == null) {
      throw new IllegalStateException(
          "discovery needs a KmsHostLocator: set KmsClient.builder().locator(...)");
    }
    return new KmsSession(this, target);
  }

  /** The connect timeout. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The bind timeout (bind and alter_context together). */
  public Duration bindTimeout() {
    return bindTimeout;
  }

  /** The request timeout (one request's round trip). */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** What the bind offers. */
  public ClientRpcOptions rpcOptions() {
    return rpcOptions;
  }

  /** Whether sessions keep their association between requests. */
  public ConnectionMode connectionMode() {
    return connectionMode;
  }

  /** The locator used for {@link Target.Discover}, when configured. */
  public Optional<KmsHostLocator> locator() {
    return Optional.ofNullable(locator);
  }

  /** The clock whose time each request carries. */
  public InstantSource clock() {
    return clock;
  }

  Bytes salt() {
    byte[] salt = new byte[16];
    synchronized (random) {
      random.nextBytes(salt);
    }
    return Bytes.of(salt);
  }

  /** Settings of a {@link KmsClient}, validated in {@link #build()}. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration bindTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private ClientRpcOptions rpcOptions = ClientRpcOptions.WINDOWS;
    private ConnectionMode connectionMode = ConnectionMode.REUSE_ASSOCIATION;
    private KmsHostLocator locator;
    private InstantSource clock = Scheduler.system();
    private RandomGenerator random;
    private Executor executor;

    private Builder() {}

    /** How long opening the TCP connection may take; default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
      return this;
    }

    /** How long the bind (with any alter_context) may take; default 5 s. */
    public Builder bindTimeout(Duration timeout) {
      this.bindTimeout = Objects.requireNonNull(timeout, "bindTimeout");
      return this;
    }

    /** How long one request's round trip may take; default 10 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "requestTimeout");
      return this;
    }

    /** The same timeout for every stage. */
    public Builder timeouts(Duration timeout) {
      return connectTimeout(timeout).bindTimeout(timeout).requestTimeout(timeout);
    }

    /**
     * What the bind offers; default {@link ClientRpcOptions#WINDOWS} (NDR32, NDR64, BTFN, flags
     * 0x13).
     */
    public Builder rpcOptions(ClientRpcOptions options) {
      this.rpcOptions = Objects.requireNonNull(options, "rpcOptions");
      return this;
    }

    /**
     * Whether sessions reuse their association; default {@link ConnectionMode#REUSE_ASSOCIATION}.
     */
    public Builder connectionMode(ConnectionMode mode) {
      this.connectionMode = Objects.requireNonNull(mode, "connectionMode");
      return this;
    }

    /** Where {@link Target.Discover} finds hosts (kms-dns's {@code SrvLocator}); default none. */
    public Builder locator(KmsHostLocator locator) {
      this.locator = Objects.requireNonNull(locator, "locator");
      return this;
    }

    /**
     * The clock read once per request for its {@code requestTime}; default {@link
     * Clock#systemUTC()}.
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where V5/V6 request salts come from; default a {@link SecureRandom}. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Where {@link KmsClient#activateAsync} runs; default a new daemon thread per call. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The client.
     *
     * @throws IllegalArgumentException naming a timeout that is zero, negative or above 24 days
     */
    public KmsClient build() {
      checkTimeout("connectTimeout", connectTimeout);
      checkTimeout("bindTimeout", bindTimeout);
      checkTimeout("requestTimeout", requestTimeout);
      if (random == null) {
        random = new SecureRandom();
      }
      if (executor == null) {
        ThreadFactory threads = DaemonThreadFactory.named("kmsj-client-activate");
        executor = task -> threads.newThread(task).start();
      }
      return new KmsClient(this);
    }

    private static void checkTimeout(String name, Duration d) {
      if (d.compareTo(Duration.ofMillis(1)) < 0
          || d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
        throw new IllegalArgumentException(name + " must be 1 ms to 24 days: " + d);
      }
    }
  }
}
