package io.github.kmsj.examples;

import io.github.kmsj.store.postgres.ClusterStatus;
import io.github.kmsj.store.postgres.PostgresHostStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;

/**
 * The cluster meters of a host on a {@link PostgresHostStore}, beside kms-metrics' host meters on
 * {@code /metrics}; each read from {@link PostgresHostStore#cluster()} when scraped:
 *
 * <ul>
 *   <li>{@code kmsj_cluster_database_reachable} (1 or 0), {@code kmsj_cluster_outages_total},
 *       {@code kmsj_cluster_wal_changes} (acknowledged from the local log, not yet replayed)
 *   <li>{@code kmsj_cluster_hosts}, {@code kmsj_cluster_host_requests{host}} (every host known when
 *       the meters were bound; a host that joins later appears in {@code kmsj_cluster_hosts} at
 *       once and with its own series after this host restarts)
 *   <li>{@code kmsj_cluster_commit_seconds_count} and {@code _sum}: this host's database commits
 *       and their time; {@code kmsj_cluster_commit_max_seconds}; {@code
 *       kmsj_cluster_committed_changes_total}; {@code kmsj_cluster_round_trips_total}
 * </ul>
 */
final class ClusterMeters implements MeterBinder {
  private final PostgresHostStore store;

  ClusterMeters(PostgresHostStore store) {
    this.store = store;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(
            "kmsj.cluster.database.reachable", store, s -> s.cluster().databaseReachable() ? 1 : 0)
        .description("1 while the cluster database answers, 0 during an outage")
        .register(registry);
    FunctionCounter.builder("kmsj.cluster.outages", store, s -> s.cluster().outages())
        .description("Database outages since the host started")
        .register(registry);
    Gauge.builder("kmsj.cluster.wal.changes", store, s -> s.cluster().walChanges())
        .description("Changes acknowledged from the local log and not yet replayed")
        .register(registry);
    Gauge.builder("kmsj.cluster.hosts", store, s -> s.cluster().hosts().size())
        .description("Hosts that used the cluster database")
        .register(registry);
    for (ClusterStatus.HostSeen h : store.cluster().hosts()) {
      String id = h.hostId();
      FunctionCounter.builder("kmsj.cluster.host.requests", store, s -> requests(s, id))
          .description("Counted requests each host committed")
          .tag("host", id)
          .register(registry);
    }
    FunctionTimer.builder(
            "kmsj.cluster.commit",
            store,
            s -> s.cluster().commits(),
            s -> s.cluster().totalCommitLatency().toNanos(),
            TimeUnit.NANOSECONDS)
        .description("This host's database commits (one round trip each) and their time")
        .register(registry);
    Gauge.builder(
            "kmsj.cluster.commit.max", store, s -> s.cluster().maxCommitLatency().toNanos() / 1e9)
        .description("The longest database commit since the host started")
        .baseUnit("seconds")
        .register(registry);
    FunctionCounter.builder(
            "kmsj.cluster.committed.changes", store, s -> s.cluster().committedChanges())
        .description("Changes this host committed to the database, replays included")
        .register(registry);
    FunctionCounter.builder("kmsj.cluster.round.trips", store, s -> s.cluster().roundTrips())
        .description("Database round trips this host made")
        .register(registry);
  }

  private static double requests(PostgresHostStore store, String hostId) {
    for (ClusterStatus.HostSeen h : store.cluster().hosts()) {
      if (h.hostId().equals(hostId)) {
        return h.requests();
      }
    }
    return 0;
  }
}
