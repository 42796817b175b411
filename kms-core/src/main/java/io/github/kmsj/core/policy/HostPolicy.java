package io.github.kmsj.core.policy;

import io.github.kmsj.core.catalog.HostKeyCoverage;
import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.UnsupportedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's rules as one pure function, {@code (request, now) → refusal | admission}, in this
 * order: a version the host does not speak or a request that fails its integrity checks ({@code
 * 0x8007000D}), a client clock too far from the host's ({@code 0xC004F06C}), a product no
 * configured host-key group covers or an application that does not match it ({@code 0xC004F042}),
 * an N policy above {@link ClientLedger#MAX_POLICY} ({@code 0x8007000D}). Immutable and
 * thread-safe; it holds no lock, store or clock.
 */
public final class HostPolicy {

  /**
   * The reserved client machine ID of readiness probes: a request with it is answered with the
   * current count but never counted or remembered.
   */
  public static final Guid PROBE_CMID = Guid.parse("6b6d736a-7072-6f62-6500-000000000000");

  /** Microsoft's limit on the client clock's difference from the host's. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofHours(4);

  private final HostKeyCoverage coverage;
  private final Optional<Duration> maxClockSkew;

  /** {@code -maxClockSkew}, precomputed: Duration.negated() goes through BigDecimal. */
  private final Duration minClockSkew;

  private HostPolicy(HostKeyCoverage coverage, Optional<Duration> maxClockSkew) {
    this.coverage = Objects.requireNonNull(coverage, "coverage");
    this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    maxClockSkew.ifPresent(
        d -> {
          if (d.isNegative()) {
            throw new IllegalArgumentException("maxClockSkew must not be negative: " + d);
          }
        });
    this.minClockSkew = maxClockSkew.map(Duration::negated).orElse(null);
  }

  /**
   * A policy admitting what {@code coverage} covers.
   *
   * @param maxClockSkew the largest client clock difference accepted; empty turns the check off
   */
  public static HostPolicy of(HostKeyCoverage coverage, Optional<Duration> maxClockSkew) {
    return new HostPolicy(coverage, maxClockSkew);
  }

  /** The host-key groups and what they cover. */
  public HostKeyCoverage coverage() {
    return coverage;
  }

  /** The largest client clock difference accepted; empty when the check is off. */
  public Optional<Duration> maxClockSkew() {
    return maxClockSkew;
  }

  /** Decides the request at the host's time {@code now}. */
  public Decision decide(DecodedRequest request, Instant now) {
    if (request.request() instanceof UnsupportedRequest u) {
      return new Decision.Refusal(
          HResult.INVALID_DATA, "unsupported protocol version " + u.version());
    }
    if (request.failedCheck().isPresent()) {
      return new Decision.Refusal(
          HResult.INVALID_DATA, "request failed " + request.failedCheck().get().description());
    }
    BaseRequest base = request.base().orElseThrow();
    if (minClockSkew != null) {
      // |skew| > max without Duration.abs(), which allocates BigDecimals for every negative skew.
      Duration skew = Duration.between(now, base.requestTime().toInstant());
      if (skew.compareTo(maxClockSkew.get()) > 0 || skew.compareTo(minClockSkew) < 0) {
        return new Decision.Refusal(
            HResult.INVALID_TIMESTAMP, "client clock is " + skew.abs() + " away from the host's");
      }
    }
    Optional<HostKeyGroup> group = coverage.coveringGroup(base.kmsCountedId());
    if (group.isEmpty()) {
      return new Decision.Refusal(
          HResult.KMS_ID_MISMATCH,
          "no configured host-key group covers KMS counted ID " + base.kmsCountedId());
    }
    if (!group.get().applicationId().equals(base.applicationId())) {
      return new Decision.Refusal(
          HResult.KMS_ID_MISMATCH,
          "KMS counted ID "
              + base.kmsCountedId()
              + " belongs to application "
              + group.get().applicationId()
              + ", the request names "
              + base.applicationId());
    }
    if (Integer.compareUnsigned(base.requiredClientCount(), ClientLedger.MAX_POLICY) > 0) {
      return new Decision.Refusal(
          HResult.INVALID_DATA,
          "N policy "
              + Integer.toUnsignedString(base.requiredClientCount())
              + " is above "
              + ClientLedger.MAX_POLICY);
    }
    return new Decision.Admission(base, group.get(), PROBE_CMID.equals(base.cmid()));
  }
}
