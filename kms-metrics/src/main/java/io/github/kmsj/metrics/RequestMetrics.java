package io.github.kmsj.metrics;

import io.github.kmsj.core.host.HostListener;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The per-request half of {@link KmsMetrics}: a {@link HostListener} that counts every processed
 * request under its outcome and records its latency. Give it to {@link KmsHost.Builder#listener}
 * when the host is built, then bind a {@link KmsMetrics} made with it to a registry.
 *
 * <p>Outcomes partition the requests as {@link io.github.kmsj.core.host.RequestCounters} does: a
 * refused request is {@link Outcome#FAILED}, an answered one counts under its client's licence
 * state. Readiness probes are never counted. Per request this costs one {@link LongAdder} increment
 * and one timer record: the counter for each outcome is resolved once, never looked up by tag.
 */
public final class RequestMetrics implements HostListener {

  /**
   * A request's outcome, named after the WMI counter it falls under ({@code
   * KeyManagementService<label>Requests}, see {@link
   * io.github.kmsj.core.management.KeyManagementServiceMXBean}).
   */
  public enum Outcome {
    /** {@code KeyManagementServiceFailedRequests}: answered with a failure HRESULT. */
    FAILED("Failed"),
    /** State 0, {@code KeyManagementServiceUnlicensedRequests}. */
    UNLICENSED("Unlicensed"),
    /** State 1, {@code KeyManagementServiceLicensedRequests}. */
    LICENSED("Licensed"),
    /** State 2, {@code KeyManagementServiceOOBGraceRequests}. */
    OOB_GRACE("OOBGrace"),
    /** State 3, {@code KeyManagementServiceOOTGraceRequests}. */
    OOT_GRACE("OOTGrace"),
    /** State 4, {@code KeyManagementServiceNonGenuineGraceRequests}. */
    NON_GENUINE_GRACE("NonGenuineGrace"),
    /** State 5, {@code KeyManagementServiceNotificationRequests}. */
    NOTIFICATION("Notification"),
    /** State 6, kmsj's {@code KeyManagementServiceExtendedGraceRequests}. */
    EXTENDED_GRACE("ExtendedGrace"),
    /** Answered, with a licence state none of the defined ones (kmsj only). */
    UNKNOWN_STATUS("UnknownStatus");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /** The value of the {@code outcome} label: the middle of the WMI property's name. */
    public String label() {
      return label;
    }
  }

  private static final Outcome[] OUTCOMES = Outcome.values();

  private final LongAdder[] counts = new LongAdder[OUTCOMES.length];

  /** The latency timers of every registry this was bound to; replaced whole, never changed. */
  private volatile Timer[] timers = new Timer[0];

  /** Counters at zero, no timer yet. */
  public RequestMetrics() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  @Override
  public void onRequest(RequestEvent event) {
    if (event.probe()) {
      return;
    }
    counts[outcomeIndex(event)].increment();
    long nanos = event.processingTime().toNanos();
    for (Timer timer : timers) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private static int outcomeIndex(RequestEvent event) {
    if (event.hresult().isFailure()) {
      return Outcome.FAILED.ordinal();
    }
    LicenseStatus status = event.licenseStatus().orElse(null);
    if (status != null && status.isKnown()) {
      return Outcome.UNLICENSED.ordinal() + status.value();
    }
    return Outcome.UNKNOWN_STATUS.ordinal();
  }

  /** The requests counted under {@code outcome} so far. */
  public long count(Outcome outcome) {
    return counts[outcome.ordinal()].sum();
  }

  /** Every request counted so far (probes excepted): the sum over all outcomes. */
  public long total() {
    long sum = 0;
    for (LongAdder c : counts) {
      sum += c.sum();
    }
    return sum;
  }

  synchronized void addTimer(Timer timer) {
    Timer[] next = Arrays.copyOf(timers, timers.length + 1);
    next[next.length - 1] = timer;
    timers = next;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("RequestMetrics[");
    for (Outcome o : OUTCOMES) {
      if (o.ordinal() > 0) {
        s.append(", ");
      }
      s.append(o.label()).append('=').append(count(o));
    }
    return s.append(']').toString();
  }
}
