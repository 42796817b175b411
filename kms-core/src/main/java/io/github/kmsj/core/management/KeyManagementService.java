package io.github.kmsj.core.management;

import io.github.kmsj.core.host.RequestCountersSnapshot;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MXBean behind {@link KmsManagement}: reads the counters and the host on every attribute
 * access.
 */
final class KeyManagementService implements KeyManagementServiceMXBean {
  private final KmsManagement management;

  KeyManagementService(KmsManagement management) {
    this.management = management;
  }

  private RequestCountersSnapshot requests() {
    return management.counters().snapshot();
  }

  @Override
  public long getKeyManagementServiceTotalRequests() {
    return requests().totalRequests();
  }

  @Override
  public long getKeyManagementServiceFailedRequests() {
    return requests().failedRequests();
  }

  @Override
  public long getKeyManagementServiceUnlicensedRequests() {
    return requests().unlicensedRequests();
  }

  @Override
  public long getKeyManagementServiceLicensedRequests() {
    return requests().licensedRequests();
  }

  @Override
  public long getKeyManagementServiceOOBGraceRequests() {
    return requests().oobGraceRequests();
  }

  @Override
  public long getKeyManagementServiceOOTGraceRequests() {
    return requests().ootGraceRequests();
  }

  @Override
  public long getKeyManagementServiceNonGenuineGraceRequests() {
    return requests().nonGenuineGraceRequests();
  }

  @Override
  public long getKeyManagementServiceNotificationRequests() {
    return requests().notificationRequests();
  }

  @Override
  public long getKeyManagementServiceExtendedGraceRequests() {
    return requests().extendedGraceRequests();
  }

  @Override
  public int getKeyManagementServiceCurrentCount() {
    return management.currentCount(KmsManagement.WINDOWS);
  }

  @Override
  public int getOffice2010CurrentCount() {
    return management.currentCount(KmsManagement.OFFICE_2010);
  }

  @Override
  public int getOffice2013AndLaterCurrentCount() {
    return management.currentCount(KmsManagement.OFFICE_2013);
  }

  @Override
  public Map<String, Integer> getCurrentCountByApplication() {
    return management.currentCountByApplication();
  }

  @Override
  public int getVLActivationInterval() {
    return (int) management.host().activationInterval().toMinutes();
  }

  @Override
  public int getVLRenewalInterval() {
    return (int) management.host().renewalInterval().toMinutes();
  }

  @Override
  public int getKeyManagementServiceListeningPort() {
    return management.listeningPort();
  }

  @Override
  public int getIsKeyManagementServiceMachine() {
    return 1;
  }

  @Override
  public String getKeyManagementServiceProductKeyID() {
    return management.windowsEpid();
  }

  @Override
  public Map<String, String> getKeyManagementServiceProductKeyIDs() {
    Map<String, String> ePids = new TreeMap<>();
    management.host().identity().ePids().forEach((group, ePid) -> ePids.put(group, ePid.format()));
    return ePids;
  }

  @Override
  public String getHostHardwareId() {
    return management.host().identity().hwid().toHex();
  }

  private long stat(
      java.util.function.ToLongFunction<io.github.kmsj.core.transport.ServerStats> f) {
    return management.serverStats().map(f::applyAsLong).orElse(-1L);
  }

  @Override
  public long getConnectionsOpen() {
    return stat(s -> s.openConnections());
  }

  @Override
  public long getConnectionsRefusedByAddressLimit() {
    return stat(s -> s.refusedByAddressLimit());
  }

  @Override
  public long getConnectionsEvicted() {
    return stat(s -> s.evicted());
  }

  @Override
  public long getConnectionsBindTimedOut() {
    return stat(s -> s.bindTimeouts());
  }

  @Override
  public long getConnectionsSlowPduTimedOut() {
    return stat(s -> s.slowPduTimeouts());
  }

  @Override
  public long getConnectionsIdleTimedOut() {
    return stat(s -> s.idleClosed());
  }

  @Override
  public String getCatalogVersion() {
    return management.host().catalog().version();
  }

  @Override
  public String getCatalogDigest() {
    return management.host().catalog().digest();
  }
}
