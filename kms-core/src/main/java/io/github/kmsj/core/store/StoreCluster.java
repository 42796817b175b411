package io.github.kmsj.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@linkplain HostStore#isShared() shared} store knows of its cluster, for the admin view:
 * the hosts that use it and their requests, whether the database is reachable, and how long its
 * commits take.
 *
 * @param databaseReachable false during an outage, while answers come from the local log
 * @param outageSince when the current outage began; empty while reachable
 * @param localLogChanges changes acknowledged from the local log and not yet in the database
 * @param lastCommitLatency the latest commit's time
 * @param meanCommitLatency the mean commit time since the store was loaded
 * @param hosts every host of the cluster, as of the store's last refresh
 */
public record StoreCluster(
    boolean databaseReachable,
    Optional<Instant> outageSince,
    long localLogChanges,
    Duration lastCommitLatency,
    Duration meanCommitLatency,
    List<Host> hosts) {

  /** Null checks; copies the list. */
  public StoreCluster {
    Objects.requireNonNull(outageSince, "outageSince");
    Objects.requireNonNull(lastCommitLatency, "lastCommitLatency");
    Objects.requireNonNull(meanCommitLatency, "meanCommitLatency");
    hosts = List.copyOf(hosts);
  }

  /**
   * One host of the cluster.
   *
   * @param hostId its name in the shared store
   * @param lastSeen the host time of its latest commit
   * @param requests the counted requests it committed
   */
  public record Host(String hostId, Instant lastSeen, long requests) {
    /** Null checks. */
    public Host {
      Objects.requireNonNull(hostId, "hostId");
      Objects.requireNonNull(lastSeen, "lastSeen");
    }
  }
}
