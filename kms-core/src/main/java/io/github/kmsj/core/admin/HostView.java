package io.github.kmsj.core.admin;

import io.github.kmsj.core.ledger.DailyCount;
import io.github.kmsj.core.store.StoreCluster;
import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code slmgr /dlv} shows of a KMS host, and more, at one moment: an immutable value of plain
 * records, JDK types and {@link Guid}, so that a JSON mapper can write it as it is.
 *
 * @param version the kmsj version, {@code "dev"} when unknown
 * @param time the host's time the view was taken at
 * @param startedAt when the admin surface (normally: the host) started
 * @param uptime how long since {@code startedAt}
 * @param listening the addresses the host listens on ({@code host:port}, IPv6 in brackets); empty
 *     without a server
 * @param port the port it listens on, 0 without a server
 * @param hwid the host's hardware ID, 16 hex digits
 * @param groups the host-key groups with their ePIDs and the products each activates
 * @param activationInterval the activation interval answers carry
 * @param renewalInterval the renewal interval answers carry
 * @param counts the current count per application against its thresholds, with its history
 * @param requests the cumulative request counters, by their WMI names ({@code
 *     KeyManagementServiceTotalRequests}, ...), in WMI's order; empty without counters
 * @param dns the DNS publishing state; empty when the host does not publish
 * @param lowPriority whether the host runs in low priority ({@code slmgr /cpri})
 * @param priorityMode {@code "normal"} or {@code "low"}
 * @param store the store's mode and size
 * @param audit the latest setting changes, oldest first
 */
public record HostView(
    String version,
    Instant time,
    Instant startedAt,
    Duration uptime,
    List<String> listening,
    int port,
    String hwid,
    List<Group> groups,
    Duration activationInterval,
    Duration renewalInterval,
    List<Count> counts,
    Map<String, Long> requests,
    Optional<DnsPublishing.State> dns,
    boolean lowPriority,
    String priorityMode,
    Store store,
    List<AuditEntry> audit) {

  /** Copies the collections. */
  public HostView {
    listening = List.copyOf(listening);
    groups = List.copyOf(groups);
    counts = List.copyOf(counts);
    requests = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(requests));
    audit = List.copyOf(audit);
  }

  /**
   * A host-key group.
   *
   * @param id the group's ID, as {@code --groups} names it
   * @param name its display name
   * @param applicationId the application its products are counted under
   * @param hostKind {@code SERVER}, {@code CLIENT} or {@code OFFICE}
   * @param ePid the ePID the host answers for it
   * @param products the products (KMS counted IDs) it activates
   */
  public record Group(
      String id,
      String name,
      Guid applicationId,
      String hostKind,
      String ePid,
      List<Product> products) {
    /** Copies the list. */
    public Group {
      products = List.copyOf(products);
    }
  }

  /**
   * A product a group activates.
   *
   * @param kmsCountedId its KMS counted ID
   * @param name its name
   * @param minimumClients the count its clients need to activate (their N policy: 25 Windows
   *     client, 5 server and Office)
   */
  public record Product(Guid kmsCountedId, String name, int minimumClients) {}

  /**
   * One application's count.
   *
   * @param applicationId the application
   * @param name its name
   * @param currentCount the count a request would be answered with now
   * @param thresholds the distinct minimum counts of the products the host activates for it,
   *     ascending (for Windows: 5 for servers, 25 for clients)
   * @param history the highest count of each UTC day with a counted request, oldest first
   * @param suspectedClones how many of its CMIDs were seen from more than one workstation name
   *     within 30 days ({@code core.ledger.CloneDetection}): machines cloned from one image count
   *     as one
   */
  public record Count(
      Guid applicationId,
      String name,
      int currentCount,
      List<Integer> thresholds,
      List<DailyCount> history,
      int suspectedClones) {
    /** Copies the lists. */
    public Count {
      thresholds = List.copyOf(thresholds);
      history = List.copyOf(history);
    }
  }

  /**
   * The store.
   *
   * @param mode what it is and what it survives (for example {@code "the store in /var/lib/kmsj
   *     (survives power loss)"}, {@code "no store"})
   * @param health {@code HEALTHY}, or {@code DEGRADED since TIME (retrying): REASON}
   * @param clients how many client records it holds
   * @param applications how many applications it counts
   * @param journalBytes the size of its current journal, empty when it has none
   * @param cluster the cluster of a shared store (hosts and their requests, database state and
   *     latency); empty for a store of one host
   */
  public record Store(
      String mode,
      String health,
      int clients,
      int applications,
      Optional<Long> journalBytes,
      Optional<StoreCluster> cluster) {}
}
