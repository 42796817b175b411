package io.github.kmsj.core.store;

import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a host remembers about one client of one application: the fields of its latest counted
 * request and when and how often it was counted.
 *
 * @param cmid the client machine ID
 * @param workstationName the name the client sent in its latest request
 * @param applicationId the application the CMID was counted for
 * @param skuId the edition of the latest request
 * @param kmsCountedId the product group of the latest request
 * @param licenseStatus the licence state of the latest request
 * @param remote the address of the latest request, when it came over a network
 * @param firstSeen when the host first counted it (since it was last forgotten)
 * @param lastSeen when the host last counted it
 * @param requestCount how many requests were counted since {@code firstSeen}, at least 1
 */
public record ClientRecord(
    Guid cmid,
    String workstationName,
    Guid applicationId,
    Guid skuId,
    Guid kmsCountedId,
    LicenseStatus licenseStatus,
    Optional<InetSocketAddress> remote,
    Instant firstSeen,
    Instant lastSeen,
    long requestCount) {

  /** Checks nulls, {@code firstSeen <= lastSeen} and {@code requestCount >= 1}. */
  public ClientRecord {
    Objects.requireNonNull(cmid, "cmid");
    Objects.requireNonNull(workstationName, "workstationName");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(skuId, "skuId");
    Objects.requireNonNull(kmsCountedId, "kmsCountedId");
    Objects.requireNonNull(licenseStatus, "licenseStatus");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (lastSeen.isBefore(firstSeen)) {
      throw new IllegalArgumentException(
          "lastSeen must not precede firstSeen: " + lastSeen + " < " + firstSeen);
    }
    if (requestCount < 1) {
      throw new IllegalArgumentException("requestCount must be at least 1: " + requestCount);
    }
  }
}
