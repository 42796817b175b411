package io.github.kmsj.core.management;

import io.github.kmsj.core.catalog.CoverageEntry;
import io.github.kmsj.core.catalog.HostKeyCoverage;
import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.catalog.Sku;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.internal.RpcConnection;
import io.github.kmsj.core.management.ReadinessResult.NotReady;
import io.github.kmsj.core.management.ReadinessResult.Ready;
import io.github.kmsj.core.management.ReadinessResult.Stage;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.core.time.Ticker;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.BaseResponse;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV6;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A readiness check that performs a real activation against a running listener: TCP connect, RPC
 * bind, a V6 request with the reserved {@link KmsHost#PROBE_CMID}, and a verified response. A kmsj
 * host answers the probe with its current count and never counts or remembers it, so the check can
 * run every few seconds. (A host that is not kmsj counts the probe CMID as one more client.)
 *
 * <p>Blocking, on the calling thread; the whole check is bounded by {@link Builder#timeout}.
 * Thread-safe: every {@link #check()} uses its own socket and association.
 */
public final class ReadinessCheck {
  /** Network deadlines are real time. */
  private static final Ticker TICKER = Ticker.system();

  /** The workstation name the probe sends. */
  public static final String PROBE_WORKSTATION = "kmsj-readiness-probe";

  private final InetSocketAddress address;
  private final Guid applicationId;
  private final Guid skuId;
  private final Guid kmsCountedId;
  private final Duration timeout;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final ClientRpcOptions rpcOptions;

  private ReadinessCheck(Builder b) {
    this.address = b.address;
    this.applicationId = b.applicationId;
    this.skuId = b.skuId;
    this.kmsCountedId = b.kmsCountedId;
    this.timeout = b.timeout;
    this.clock = b.clock;
    this.random = b.random;
    this.rpcOptions = b.rpcOptions;
  }

  /**
   * A builder for a check against {@code address}; name the product with {@link Builder#product}.
   */
  public static Builder builder(InetSocketAddress address) {
    return new Builder(address);
  }

  /**
   * A builder for a check of {@code host} listening at {@code address}: the product is the first
   * KMS counted ID the host covers, and the clock is the host's.
   *
   * @throws IllegalArgumentException when the host covers no KMS counted ID
   */
  public static Builder forHost(KmsHost host, InetSocketAddress address) {
    HostKeyCoverage coverage = host.coverage();
    for (HostKeyGroup group : coverage.groups()) {
      for (CoverageEntry entry : group.activates()) {
        if (coverage.covers(entry.kmsCountedId())) {
          Guid sku =
              host.catalog().skus().stream()
                  .filter(s -> s.kmsCountedId().equals(entry.kmsCountedId()))
                  .map(Sku::skuId)
                  .findFirst()
                  .orElse(Guid.ZERO);
          return builder(address)
              .product(group.applicationId(), sku, entry.kmsCountedId())
              .clock(host.clock());
        }
      }
    }
    throw new IllegalArgumentException("the host covers no KMS counted ID: " + coverage);
  }

  /**
   * Runs the check once; never throws for a network or protocol failure, which is a {@link
   * NotReady}.
   */
  public ReadinessResult check() {
    long start = TICKER.read();
    long deadline = start + timeout.toNanos();
    Stage stage = Stage.CONNECT;
    try (RpcConnection connection =
        RpcConnection.connect(address, remaining(deadline), rpcOptions)) {
      stage = Stage.BIND;
      connection.bind(remaining(deadline));
      stage = Stage.REQUEST;
      EncodedRequest request = KmsClientCodec.encodeRequest(probeRequest());
      StubResponse stub = connection.call(request.bytes(), remaining(deadline));
      stage = Stage.RESPONSE;
      if (stub.message().isEmpty() || stub.hresult().isFailure()) {
        return new NotReady(stage, "the host refused the probe with " + stub.hresult());
      }
      VerifiedResponse verified =
          KmsClientCodec.decodeResponse(request, stub.message().get().toArray());
      if (!verified.isVerified()) {
        return new NotReady(stage, "the response failed " + verified.failedChecks());
      }
      BaseResponse base = verified.response().base();
      return new Ready(
          Duration.ofNanos(TICKER.read() - start), base.currentClientCount(), base.ePid());
    } catch (IOException | KmsProtocolException e) {
      return new NotReady(stage, e.toString());
    }
  }

  private RequestV6 probeRequest() {
    BaseRequest base =
        new BaseRequest(
            ProtocolVersion.V6,
            0,
            LicenseStatus.OOB_GRACE,
            0,
            applicationId,
            skuId,
            kmsCountedId,
            KmsHost.PROBE_CMID,
            1,
            Filetime.of(clock.instant()),
            Guid.ZERO,
            PROBE_WORKSTATION);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return new RequestV6(base, Bytes.of(salt));
  }

  /** What is left of the whole check's time for the next stage. */
  private static Duration remaining(long deadline) throws SocketTimeoutException {
    long remaining = deadline - TICKER.read();
    if (remaining < 1_000_000) {
      throw new SocketTimeoutException("the readiness check timed out");
    }
    return Duration.ofNanos(remaining);
  }

  @Override
  public String toString() {
    return "ReadinessCheck[" + address + ", " + kmsCountedId + "]";
  }

  /** One blocking connection: whole PDUs out, whole PDUs in, every read bounded by the deadline. */

  /** Settings of a {@link ReadinessCheck}, validated in {@link #build()}. */
  public static final class Builder {
    private final InetSocketAddress address;
    private Guid applicationId;
    private Guid skuId;
    private Guid kmsCountedId;
    private Duration timeout = Duration.ofSeconds(5);
    private InstantSource clock = Scheduler.system();
    private RandomGenerator random;
    private ClientRpcOptions rpcOptions = ClientRpcOptions.WINDOWS;

    private Builder(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
    }

    /** The product the probe asks for; it must be one the host covers. */
    public Builder product(Guid applicationId, Guid skuId, Guid kmsCountedId) {
      this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
      this.skuId = Objects.requireNonNull(skuId, "skuId");
      this.kmsCountedId = Objects.requireNonNull(kmsCountedId, "kmsCountedId");
      return this;
    }

    /** The bound on the whole check; default 5 seconds. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The clock of the probe's request time (a host refuses one 4 hours off); default UTC. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the request salt comes from; default a {@link SecureRandom}. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** What the bind offers; default {@link ClientRpcOptions#WINDOWS}. */
    public Builder rpcOptions(ClientRpcOptions rpcOptions) {
      this.rpcOptions = Objects.requireNonNull(rpcOptions, "rpcOptions");
      return this;
    }

    /**
     * The check.
     *
     * @throws IllegalStateException when no product was named
     */
    public ReadinessCheck build() {
      if (kmsCountedId == null) {
        throw new IllegalStateException(
            "name the product to probe with product(...) or use forHost(...)");
      }
      if (random == null) {
        random = new SecureRandom();
      }
      return new ReadinessCheck(this);
    }
  }
}
