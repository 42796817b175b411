package io.github.kmsj.core.host;

import io.github.kmsj.protocol.message.LicenseStatus;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cumulative request counters a Windows KMS host shows in {@code slmgr /dlv} ("Key Management
 * Service cumulative requests received from clients"), kept as a {@link HostListener}. Lock-free;
 * add it to the host with {@link KmsHost.Builder#listener} and read it with {@link #snapshot()}.
 *
 * <p>Meanings, after the properties of WMI's {@code SoftwareLicensingService} class
 * (learn.microsoft.com, "SoftwareLicensingService class", sppwmi):
 *
 * <ul>
 *   <li>total: every processed request, answered or refused, including undecodable ones; readiness
 *       probes ({@link RequestEvent#probe()}) are never counted anywhere;
 *   <li>failed: requests answered with a failure HRESULT ({@code 0xC004F042}, {@code 0xC004F06C},
 *       {@code 0x8007000D});
 *   <li>one counter per client licence state, counting the requests the host answered with a count.
 * </ul>
 *
 * <p>Microsoft does not document whether a refused request also counts under its licence state.
 * kmsj counts a refused request only as failed, so that the counters partition the total: total =
 * failed + the sum of the licence-state counters (+ answered requests with an undefined state). WMI
 * has no counter for state 6 (extended grace, added after Windows 7); kmsj keeps one and names it
 * {@code KeyManagementServiceExtendedGraceRequests}.
 */
public final class RequestCounters implements HostListener {
  private final LongAdder total = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder unknownStatus = new LongAdder();

  /** Indexed by licence state 0-6. */
  private final LongAdder[] byStatus = new LongAdder[7];

  /** Counters at zero. */
  public RequestCounters() {
    for (int i = 0; i < byStatus.length; i++) {
      byStatus[i] = new LongAdder();
    }
  }

  /** Counts one processed request; ignores probes. */
  @Override
  public void onRequest(RequestEvent event) {
    if (event.probe()) {
      return;
    }
    total.increment();
    if (event.hresult().isFailure()) {
      failed.increment();
      return;
    }
    LicenseStatus status = event.licenseStatus().orElse(null);
    if (status != null && status.isKnown()) {
      byStatus[status.value()].increment();
    } else {
      unknownStatus.increment();
    }
  }

  /** The counters now. */
  public RequestCountersSnapshot snapshot() {
    return new RequestCountersSnapshot(
        total.sum(),
        failed.sum(),
        byStatus[0].sum(),
        byStatus[1].sum(),
        byStatus[2].sum(),
        byStatus[3].sum(),
        byStatus[4].sum(),
        byStatus[5].sum(),
        byStatus[6].sum(),
        unknownStatus.sum());
  }

  @Override
  public String toString() {
    return "RequestCounters" + snapshot();
  }
}
