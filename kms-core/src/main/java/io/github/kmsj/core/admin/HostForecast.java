package io.github.kmsj.core.admin;

import io.github.kmsj.core.ledger.CloneDetection;
import io.github.kmsj.core.ledger.CountForecast;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a host's clients will do to its counts if no new machine arrives: per application, the day
 * its count falls below each of its thresholds; the clients not seen for a while, approaching the
 * end of their 180-day activation; and the suspected clones. One consistent reading of the ledger.
 *
 * @param asOf the host time the forecast was made at
 * @param renewing clients seen less than this before {@code asOf} are assumed to keep renewing
 * @param notSeenFor the age from which a client is listed in {@code notSeen}
 * @param applications one forecast per application, each with its own thresholds
 * @param notSeen the clients last seen at least {@code notSeenFor} ago, least recently seen first
 * @param clones the CMIDs seen from more than one workstation name within 30 days
 */
public record HostForecast(
    Instant asOf,
    Duration renewing,
    Duration notSeenFor,
    List<CountForecast.ApplicationForecast> applications,
    List<CountForecast.AtRisk> notSeen,
    List<CloneDetection.SuspectedClone> clones) {

  /** Copies the lists. */
  public HostForecast {
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(renewing, "renewing");
    Objects.requireNonNull(notSeenFor, "notSeenFor");
    applications = List.copyOf(applications);
    notSeen = List.copyOf(notSeen);
    clones = List.copyOf(clones);
  }

  /**
   * The forecast of {@code ledger} at {@code now}, each application against its own thresholds
   * ({@code thresholds}; an application missing there is forecast against {@code fallback}).
   *
   * @throws IllegalArgumentException if a threshold is not 1-1000 or a duration is negative
   */
  public static HostForecast of(
      LedgerState ledger,
      Instant now,
      Map<Guid, ? extends List<Integer>> thresholds,
      List<Integer> fallback,
      Duration renewing,
      Duration notSeenFor) {
    if (notSeenFor.isNegative()) {
      throw new IllegalArgumentException("notSeenFor must not be negative: " + notSeenFor);
    }
    TreeSet<Integer> all = new TreeSet<>(fallback);
    thresholds.values().forEach(all::addAll);
    List<CountForecast.ApplicationForecast> apps = new ArrayList<>();
    for (CountForecast.ApplicationForecast f :
        CountForecast.forecast(ledger, now, List.copyOf(all), renewing)) {
      List<Integer> own =
          thresholds.containsKey(f.applicationId()) ? thresholds.get(f.applicationId()) : fallback;
      apps.add(
          new CountForecast.ApplicationForecast(
              f.applicationId(),
              f.count(),
              f.renewing(),
              f.thresholds().stream().filter(t -> own.contains(t.threshold())).toList()));
    }
    return new HostForecast(
        now,
        renewing,
        notSeenFor,
        apps,
        CountForecast.notSeenFor(ledger, now, notSeenFor),
        CloneDetection.find(ledger, now, CloneDetection.DEFAULT_WINDOW));
  }
}
