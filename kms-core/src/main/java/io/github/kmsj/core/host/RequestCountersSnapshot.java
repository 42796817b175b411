package io.github.kmsj.core.host;

/**
 * The cumulative request counters of a {@link RequestCounters} at one moment, named after the
 * properties of WMI's {@code SoftwareLicensingService} class (their getters in a Windows host's
 * {@code slmgr /dlv}).
 *
 * <p>Invariant: {@code totalRequests == failedRequests + unlicensedRequests + licensedRequests +
 * oobGraceRequests + ootGraceRequests + nonGenuineGraceRequests + notificationRequests +
 * extendedGraceRequests + unknownStatusRequests}, except for the instants when a snapshot is taken
 * while a request is being counted (the counters are read one after the other, without a lock).
 *
 * @param totalRequests {@code KeyManagementServiceTotalRequests}: every request processed, except
 *     readiness probes
 * @param failedRequests {@code KeyManagementServiceFailedRequests}: requests answered with a
 *     failure HRESULT
 * @param unlicensedRequests {@code KeyManagementServiceUnlicensedRequests}: answered requests from
 *     clients in state 0 (unlicensed)
 * @param licensedRequests {@code KeyManagementServiceLicensedRequests}: answered requests from
 *     clients in state 1 (licensed, that is renewals)
 * @param oobGraceRequests {@code KeyManagementServiceOOBGraceRequests}: state 2, out-of-box grace
 * @param ootGraceRequests {@code KeyManagementServiceOOTGraceRequests}: state 3, out-of-tolerance
 *     grace
 * @param nonGenuineGraceRequests {@code KeyManagementServiceNonGenuineGraceRequests}: state 4
 * @param notificationRequests {@code KeyManagementServiceNotificationRequests}: state 5
 * @param extendedGraceRequests state 6, extended grace; WMI has no property for it, kmsj calls it
 *     {@code KeyManagementServiceExtendedGraceRequests}
 * @param unknownStatusRequests answered requests whose licence state is none of the seven defined
 *     ones (kmsj only; WMI has no such property)
 */
public record RequestCountersSnapshot(
    long totalRequests,
    long failedRequests,
    long unlicensedRequests,
    long licensedRequests,
    long oobGraceRequests,
    long ootGraceRequests,
    long nonGenuineGraceRequests,
    long notificationRequests,
    long extendedGraceRequests,
    long unknownStatusRequests) {

  /** Every counter at zero. */
  public static final RequestCountersSnapshot ZERO =
      new RequestCountersSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
