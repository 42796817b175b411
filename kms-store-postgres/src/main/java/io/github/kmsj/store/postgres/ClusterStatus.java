package io.github.kmsj.store.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PostgresHostStore} knows about its cluster, for the admin view and metrics.
 *
 * @param hostId this host's name in the database
 * @param databaseReachable false from a failed database call until the local log is replayed
 * @param outageSince when the current outage began, on the store's clock; empty while reachable
 * @param walChanges changes acknowledged from the local log and not yet replayed into the database
 * @param outages how many outages the store went through since it was loaded
 * @param hosts every host that used the database, as of the last refresh
 * @param commits batches committed to the database by this host since it was loaded
 * @param committedChanges changes carried by those batches (replays included)
 * @param roundTrips database round trips made for them
 * @param totalCommitLatency the time of all those commits together
 * @param lastCommitLatency the duration of the latest batch's round trips
 * @param meanCommitLatency their mean since the store was loaded, zero before the first
 * @param maxCommitLatency the longest since the store was loaded
 */
public record ClusterStatus(
    String hostId,
    boolean databaseReachable,
    Optional<Instant> outageSince,
    long walChanges,
    long outages,
    List<HostSeen> hosts,
    long commits,
    long committedChanges,
    long roundTrips,
    Duration totalCommitLatency,
    Duration lastCommitLatency,
    Duration meanCommitLatency,
    Duration maxCommitLatency) {

  /** Null checks; copies the host list. */
  public ClusterStatus {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(outageSince, "outageSince");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(totalCommitLatency, "totalCommitLatency");
    Objects.requireNonNull(lastCommitLatency, "lastCommitLatency");
    Objects.requireNonNull(meanCommitLatency, "meanCommitLatency");
    Objects.requireNonNull(maxCommitLatency, "maxCommitLatency");
  }

  /** Database round trips per committed change: what one answer costs the database. */
  public double roundTripsPerChange() {
    return committedChanges == 0 ? 0 : (double) roundTrips / committedChanges;
  }

  /**
   * One host of the cluster as the database records it.
   *
   * @param hostId its name
   * @param identity the name of the identity (ePIDs, HWID) it answers with
   * @param started when it last loaded the store
   * @param lastSeen the host time of its latest commit
   * @param requests the counted requests it committed, replays of its local log included
   * @param commits the batches it committed
   */
  public record HostSeen(
      String hostId,
      String identity,
      Instant started,
      Instant lastSeen,
      long requests,
      long commits) {
    /** Null checks. */
    public HostSeen {
      Objects.requireNonNull(hostId, "hostId");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(started, "started");
      Objects.requireNonNull(lastSeen, "lastSeen");
    }
  }
}
