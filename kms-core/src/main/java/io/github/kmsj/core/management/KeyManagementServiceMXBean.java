package io.github.kmsj.core.management;

import java.util.Map;

/**
 * A kmsj host seen through JMX, with the attribute names of WMI's {@code SoftwareLicensingService}
 * class (learn.microsoft.com, "SoftwareLicensingService class"), so that a dashboard written for
 * {@code slmgr /dlv} finds the same names. Attributes WMI does not have are marked "kmsj only".
 *
 * <p>Registered by {@link KmsManagement} under {@code
 * io.github.kmsj:type=KeyManagementService,name=<name>}. Counters count requests since the {@link
 * io.github.kmsj.core.host.RequestCounters} was created; see that class for their meanings.
 */
public interface KeyManagementServiceMXBean {
  /** {@code KeyManagementServiceTotalRequests}: every processed request except readiness probes. */
  long getKeyManagementServiceTotalRequests();

  /** {@code KeyManagementServiceFailedRequests}: requests answered with a failure HRESULT. */
  long getKeyManagementServiceFailedRequests();

  /**
   * {@code KeyManagementServiceUnlicensedRequests}: answered requests from unlicensed clients
   * (state 0).
   */
  long getKeyManagementServiceUnlicensedRequests();

  /**
   * {@code KeyManagementServiceLicensedRequests}: answered requests from licensed clients (state
   * 1).
   */
  long getKeyManagementServiceLicensedRequests();

  /**
   * {@code KeyManagementServiceOOBGraceRequests}: answered requests in out-of-box grace (state 2).
   */
  long getKeyManagementServiceOOBGraceRequests();

  /**
   * {@code KeyManagementServiceOOTGraceRequests}: answered requests in out-of-tolerance grace
   * (state 3).
   */
  long getKeyManagementServiceOOTGraceRequests();

  /**
   * {@code KeyManagementServiceNonGenuineGraceRequests}: answered requests in non-genuine grace
   * (state 4).
   */
  long getKeyManagementServiceNonGenuineGraceRequests();

  /**
   * {@code KeyManagementServiceNotificationRequests}: answered requests in notification state
   * (state 5).
   */
  long getKeyManagementServiceNotificationRequests();

  /** Answered requests in extended grace (state 6); kmsj only, WMI has no such property. */
  long getKeyManagementServiceExtendedGraceRequests();

  /**
   * {@code KeyManagementServiceCurrentCount}: the current count for Windows, or -1 (WMI's value for
   * "not a KMS host") when no configured host-key group activates Windows.
   */
  int getKeyManagementServiceCurrentCount();

  /**
   * The current count for Office 2010 (application {@code 59a52881-…}), or -1 when not covered;
   * kmsj only.
   */
  int getOffice2010CurrentCount();

  /**
   * The current count for Office 2013 and later (application {@code 0ff1ce15-…}), or -1 when not
   * covered; kmsj only.
   */
  int getOffice2013AndLaterCurrentCount();

  /**
   * The current count of every application a configured group covers, by application ID; kmsj only.
   */
  Map<String, Integer> getCurrentCountByApplication();

  /** {@code VLActivationInterval}: minutes an unactivated client waits before retrying. */
  int getVLActivationInterval();

  /** {@code VLRenewalInterval}: minutes between renewals of an activated client. */
  int getVLRenewalInterval();

  /**
   * {@code KeyManagementServiceListeningPort}: the TCP port the host listens on, 0 when not
   * listening.
   */
  int getKeyManagementServiceListeningPort();

  /** {@code IsKeyManagementServiceMachine}: always 1. */
  int getIsKeyManagementServiceMachine();

  /**
   * {@code KeyManagementServiceProductKeyID}: the ePID of the Windows host-key group, or the first
   * group's when no group activates Windows.
   */
  String getKeyManagementServiceProductKeyID();

  /** The ePID of every configured host-key group, by group ID; kmsj only. */
  Map<String, String> getKeyManagementServiceProductKeyIDs();

  /**
   * The 8-byte hardware ID sent in V6 responses, as hex; kmsj only (not secret: every client sees
   * it).
   */
  String getHostHardwareId();

  /** Connections open now; -1 without a server; kmsj only. */
  long getConnectionsOpen();

  /** Connections closed at once by the per-address limit since start; -1 without a server. */
  long getConnectionsRefusedByAddressLimit();

  /** Connections evicted at the connection cap since start; -1 without a server. */
  long getConnectionsEvicted();

  /** Connections closed because no bind arrived in time; -1 without a server. */
  long getConnectionsBindTimedOut();

  /** Connections closed because a PDU took too long to arrive; -1 without a server. */
  long getConnectionsSlowPduTimedOut();

  /** Connections closed for idleness; -1 without a server. */
  long getConnectionsIdleTimedOut();

  /** The version of the product catalog the host answers with; kmsj only. */
  String getCatalogVersion();

  /**
   * The SHA-256 digest of the product catalog's canonical form, so a report says exactly which
   * catalog a host used; kmsj only.
   */
  String getCatalogDigest();
}
