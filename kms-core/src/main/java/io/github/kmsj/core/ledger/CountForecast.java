package io.github.kmsj.core.ledger;

import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When each application's count falls below its activation thresholds if no new machine arrives,
 * and which clients risk losing their activation: pure functions of a {@link LedgerState} and a
 * time.
 *
 * <p>A counted CMID stops counting 30 days after it was last seen ({@link
 * ClientLedger#ACTIVE_WINDOW}). The forecast assumes that the clients seen within {@code renewing}
 * keep renewing (an activated client renews every renewal interval, 7 days by default) and that the
 * others are gone and expire on their day; with {@code renewing} zero it is the worst case, where
 * nobody is seen again.
 */
public final class CountForecast {
  /** How long an activation stays valid without a renewal: 180 days. */
  public static final Duration VALIDITY = Duration.ofDays(180);

  private CountForecast() {}

  /**
   * One threshold of one application.
   *
   * @param threshold the N policy, for example 25 for Windows clients or 5 for servers and Office
   * @param count the count at the forecast's time
   * @param fallsBelowAt when the count becomes smaller than {@code threshold}; empty when it is
   *     below already or never falls below it (enough clients keep renewing)
   * @param alreadyBelow whether the count is below {@code threshold} now
   */
  public record Threshold(
      int threshold, int count, Optional<Instant> fallsBelowAt, boolean alreadyBelow) {
    /** Checks. */
    public Threshold {
      Objects.requireNonNull(fallsBelowAt, "fallsBelowAt");
    }

    /** The UTC day of {@link #fallsBelowAt}. */
    public Optional<LocalDate> fallsBelowOn() {
      return fallsBelowAt.map(t -> LocalDate.ofInstant(t, ZoneOffset.UTC));
    }
  }

  /**
   * The forecast of one application.
   *
   * @param applicationId the application
   * @param count its count now
   * @param renewing how many of the counted clients were seen within the renewing window
   * @param thresholds one entry per threshold asked for, in the order asked
   */
  public record ApplicationForecast(
      Guid applicationId, int count, int renewing, List<Threshold> thresholds) {
    /** Copies the list. */
    public ApplicationForecast {
      Objects.requireNonNull(applicationId, "applicationId");
      thresholds = List.copyOf(thresholds);
    }
  }

  /**
   * A client not seen for a while, and when its activation runs out if it is never seen again.
   *
   * @param client the record
   * @param notSeenFor how long before the forecast's time it was last seen
   * @param validUntil {@code lastSeen} plus {@link #VALIDITY}
   */
  public record AtRisk(ClientRecord client, Duration notSeenFor, Instant validUntil) {}

  /**
   * The forecast of every application of the ledger at {@code now}.
   *
   * @param thresholds the N policies to forecast, each 1–1000
   * @param renewing clients seen less than this before {@code now} are assumed to keep renewing
   */
  public static List<ApplicationForecast> forecast(
      LedgerState state, Instant now, List<Integer> thresholds, Duration renewing) {
    Objects.requireNonNull(now, "now");
    for (int t : thresholds) {
      if (t < 1 || t > ClientLedger.MAX_POLICY) {
        throw new IllegalArgumentException("threshold must be 1-1000: " + t);
      }
    }
    if (renewing.isNegative()) {
      throw new IllegalArgumentException("renewing must not be negative: " + renewing);
    }
    List<ApplicationForecast> out = new ArrayList<>();
    for (LedgerState.Application app : state.applications()) {
      // The clients that count at now; state.clients() is ordered by lastSeen, so their expiry
      // times come out ascending.
      List<Instant> expiries = new ArrayList<>();
      int kept = 0;
      for (ClientRecord c : state.clients()) {
        if (!c.applicationId().equals(app.applicationId()) || !c.inCount()) {
          continue;
        }
        Instant expires = c.lastSeen().plus(ClientLedger.ACTIVE_WINDOW);
        if (!now.isBefore(expires)) {
          continue;
        }
        if (now.isBefore(c.lastSeen().plus(renewing))) {
          kept++;
        } else {
          expiries.add(expires);
        }
      }
      int count = kept + expiries.size();
      List<Threshold> list = new ArrayList<>();
      for (int t : thresholds) {
        if (count < t) {
          list.add(new Threshold(t, count, Optional.empty(), true));
        } else if (kept >= t) {
          list.add(new Threshold(t, count, Optional.empty(), false));
        } else {
          // After the k-th expiry (1-based) the count is count - k; it is below t once k reaches
          // count - t + 1.
          list.add(new Threshold(t, count, Optional.of(expiries.get(count - t)), false));
        }
      }
      out.add(new ApplicationForecast(app.applicationId(), count, kept, list));
    }
    return out;
  }

  /**
   * The clients last seen more than {@code age} before {@code now}, least recently seen first: the
   * ones approaching the end of their 180-day activation.
   */
  public static List<AtRisk> notSeenFor(LedgerState state, Instant now, Duration age) {
    if (age.isNegative()) {
      throw new IllegalArgumentException("age must not be negative: " + age);
    }
    Instant cutoff = now.minus(age);
    List<AtRisk> out = new ArrayList<>();
    for (ClientRecord c : state.clients()) {
      if (c.lastSeen().isBefore(cutoff)) {
        out.add(new AtRisk(c, Duration.between(c.lastSeen(), now), c.lastSeen().plus(VALIDITY)));
      }
    }
    return out;
  }
}
