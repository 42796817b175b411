package io.github.kmsj.core.host;

import io.github.kmsj.core.ledger.LedgerLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A host's settings, an immutable value: what {@code slmgr /dlv} would list. A running host holds
 * one value at a time and may swap it for one with other intervals ({@code
 * KmsHost.changeSettings}); the other settings are fixed when the host is built.
 *
 * @param activationInterval how long an unactivated client waits before retrying, 15 min – 30 days
 * @param renewalInterval how often an activated client renews, 15 min – 30 days
 * @param maxClockSkew the largest client clock difference accepted; empty when the check is off
 * @param hostKeyGroups the configured host-key groups by ID
 * @param strictCoverage whether doubtful (synthetic) KMS counted IDs are refused
 * @param ledgerLimits how long and how many client records are kept
 * @param lcid the LCID in generated ePIDs
 * @param hostBuild the host OS build in generated ePIDs; empty for the newest the groups allow
 */
public record HostSettings(
    Duration activationInterval,
    Duration renewalInterval,
    Optional<Duration> maxClockSkew,
    List<String> hostKeyGroups,
    boolean strictCoverage,
    LedgerLimits ledgerLimits,
    int lcid,
    OptionalInt hostBuild) {

  /** The shortest interval a genuine host allows ({@code slmgr /sai}, {@code /sri}). */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(15);

  /** The longest interval a genuine host allows. */
  public static final Duration MAX_INTERVAL = Duration.ofDays(30);

  /** Checks every range, naming the setting and the value. */
  public HostSettings {
    checkInterval("activation interval", activationInterval);
    checkInterval("renewal interval", renewalInterval);
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    maxClockSkew.ifPresent(
        d -> {
          if (d.isNegative()) {
            throw new IllegalArgumentException("maxClockSkew must not be negative: " + d);
          }
        });
    hostKeyGroups = List.copyOf(hostKeyGroups);
    Objects.requireNonNull(ledgerLimits, "ledgerLimits");
    if (lcid < 1 || lcid > 99_999) {
      throw new IllegalArgumentException("lcid must be 1-99999: " + lcid);
    }
    Objects.requireNonNull(hostBuild, "hostBuild");
  }

  /** These settings with another activation interval, checked. */
  public HostSettings withActivationInterval(Duration interval) {
    return new HostSettings(
        interval,
        renewalInterval,
        maxClockSkew,
        hostKeyGroups,
        strictCoverage,
        ledgerLimits,
        lcid,
        hostBuild);
  }

  /** These settings with another renewal interval, checked. */
  public HostSettings withRenewalInterval(Duration interval) {
    return new HostSettings(
        activationInterval,
        interval,
        maxClockSkew,
        hostKeyGroups,
        strictCoverage,
        ledgerLimits,
        lcid,
        hostBuild);
  }

  private static void checkInterval(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.compareTo(MIN_INTERVAL) < 0
        || d.compareTo(MAX_INTERVAL) > 0
        || d.toSecondsPart() != 0
        || d.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          name + " must be whole minutes from 15 min to 30 days: " + d.toMinutes() + " min");
    }
  }
}
