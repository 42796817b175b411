package io.github.kmsj.core.admin;

import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which client records {@link HostAdmin#clients} returns; each criterion is optional and all given
 * ones must hold.
 *
 * @param applicationId only records of this application
 * @param notSeenFor only records whose latest request is at least this long ago
 * @param workstation only records whose workstation name contains this text, ignoring case
 */
public record ClientFilter(
    Optional<Guid> applicationId, Optional<Duration> notSeenFor, Optional<String> workstation) {

  /** Every record. */
  public static final ClientFilter ALL =
      new ClientFilter(Optional.empty(), Optional.empty(), Optional.empty());

  /** Null and range checks. */
  public ClientFilter {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(notSeenFor, "notSeenFor");
    Objects.requireNonNull(workstation, "workstation");
    notSeenFor.ifPresent(
        d -> {
          if (d.isNegative()) {
            throw new IllegalArgumentException("not seen for must not be negative: " + d);
          }
        });
    workstation = workstation.map(w -> w.toLowerCase(Locale.ROOT));
  }

  /** This filter, also requiring {@code applicationId}. */
  public ClientFilter application(Guid applicationId) {
    return new ClientFilter(Optional.of(applicationId), notSeenFor, workstation);
  }

  /** This filter, also requiring that the client was not seen for {@code age}. */
  public ClientFilter notSeenFor(Duration age) {
    return new ClientFilter(applicationId, Optional.of(age), workstation);
  }

  /** This filter, also requiring a workstation name containing {@code text}. */
  public ClientFilter workstation(String text) {
    return new ClientFilter(applicationId, notSeenFor, Optional.of(text));
  }

  /** Whether {@code c} passes, at {@code now}. */
  public boolean test(ClientRecord c, Instant now) {
    if (applicationId.isPresent() && !applicationId.get().equals(c.applicationId())) {
      return false;
    }
    if (notSeenFor.isPresent() && c.lastSeen().plus(notSeenFor.get()).isAfter(now)) {
      return false;
    }
    return workstation.isEmpty()
        || c.workstationName().toLowerCase(Locale.ROOT).contains(workstation.get());
  }
}
