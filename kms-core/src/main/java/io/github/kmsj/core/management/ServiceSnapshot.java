package io.github.kmsj.core.management;

import io.github.kmsj.core.host.RequestCountersSnapshot;
import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link KeyManagementServiceMXBean} shows, read at one instant: the values a dashboard or
 * health endpoint needs without JMX.
 *
 * @param time when the current counts were read (the host's clock)
 * @param requests the cumulative request counters
 * @param currentCounts the current count of every application a configured group covers
 * @param activationInterval {@code VLActivationInterval}
 * @param renewalInterval {@code VLRenewalInterval}
 * @param listeningPort the TCP port the host listens on, 0 when not listening
 * @param ePids the ePID of every configured host-key group, by group ID
 * @param hwid the host's hardware ID, as hex
 */
public record ServiceSnapshot(
    Instant time,
    RequestCountersSnapshot requests,
    Map<Guid, Integer> currentCounts,
    Duration activationInterval,
    Duration renewalInterval,
    int listeningPort,
    Map<String, String> ePids,
    String hwid) {

  /** Null checks and immutable copies. */
  public ServiceSnapshot {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(requests, "requests");
    currentCounts = Map.copyOf(currentCounts);
    Objects.requireNonNull(activationInterval, "activationInterval");
    Objects.requireNonNull(renewalInterval, "renewalInterval");
    ePids = Map.copyOf(ePids);
    Objects.requireNonNull(hwid, "hwid");
  }

  /**
   * The current count of an application, or -1 when no configured group covers it (WMI's
   * convention).
   */
  public int currentCount(Guid applicationId) {
    return currentCounts.getOrDefault(applicationId, -1);
  }
}
