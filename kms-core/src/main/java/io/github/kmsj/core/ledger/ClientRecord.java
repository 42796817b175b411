package io.github.kmsj.core.ledger;

import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the ledger remembers about one client machine ID of one application: the fields of its
 * latest counted request, when and how often it was counted, the names and addresses it used, and
 * whether it holds a place in its application's count.
 *
 * @param cmid the client machine ID
 * @param applicationId the application the CMID was counted for
 * @param workstationName the name the client sent in its latest request
 * @param skuId the edition of the latest request
 * @param kmsCountedId the product group of the latest request
 * @param licenseStatus the licence state of the latest request
 * @param requiredClientCount the N policy of the latest request
 * @param remote the address of the latest request, when it came over a network
 * @param firstSeen when the ledger first counted it (since it was last forgotten)
 * @param lastSeen when the ledger last counted it
 * @param requestCount how many requests were counted since {@code firstSeen}, at least 1
 * @param inCount whether the CMID held a place in its application's count table after the last
 *     change to that table; it counts at a given time only if it was also seen in the 30 days
 *     before (see {@link LedgerState#isCounted})
 * @param workstationNames the distinct names the CMID used, oldest first, at most {@link
 *     #MAX_SEEN}; the last is {@code workstationName}
 * @param addresses the distinct source addresses the CMID used, oldest first, at most {@link
 *     #MAX_SEEN}
 */
public record ClientRecord(
    Guid cmid,
    Guid applicationId,
    String workstationName,
    Guid skuId,
    Guid kmsCountedId,
    LicenseStatus licenseStatus,
    int requiredClientCount,
    Optional<InetSocketAddress> remote,
    Instant firstSeen,
    Instant lastSeen,
    long requestCount,
    boolean inCount,
    List<String> workstationNames,
    List<InetAddress> addresses) {

  /** How many distinct workstation names and addresses a record keeps. */
  public static final int MAX_SEEN = 4;

  /**
   * Checks nulls, times and name lengths, {@code firstSeen <= lastSeen}, {@code requestCount >= 1}
   * and list sizes.
   */
  public ClientRecord {
    Objects.requireNonNull(cmid, "cmid");
    Objects.requireNonNull(applicationId, "applicationId");
    ClientLedger.requireName(workstationName, "workstationName");
    Objects.requireNonNull(skuId, "skuId");
    Objects.requireNonNull(kmsCountedId, "kmsCountedId");
    Objects.requireNonNull(licenseStatus, "licenseStatus");
    ClientLedger.requirePolicy(requiredClientCount);
    Objects.requireNonNull(remote, "remote");
    ClientLedger.requireTime(firstSeen, "firstSeen");
    ClientLedger.requireTime(lastSeen, "lastSeen");
    if (lastSeen.isBefore(firstSeen)) {
      throw new IllegalArgumentException(
          "lastSeen must not precede firstSeen: " + lastSeen + " < " + firstSeen);
    }
    if (requestCount < 1) {
      throw new IllegalArgumentException("requestCount must be at least 1: " + requestCount);
    }
    workstationNames = List.copyOf(workstationNames);
    workstationNames.forEach(n -> ClientLedger.requireName(n, "workstationNames[]"));
    addresses = List.copyOf(addresses);
    if (workstationNames.size() > MAX_SEEN || addresses.size() > MAX_SEEN) {
      throw new IllegalArgumentException(
          "a client record keeps at most " + MAX_SEEN + " names and addresses");
    }
  }
}
