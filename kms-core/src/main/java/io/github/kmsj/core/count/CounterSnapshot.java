package io.github.kmsj.core.count;

import io.github.kmsj.protocol.message.Guid;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable copy of all of an {@link ActivationCounter}'s tables, for display, export and {@link
 * ActivationCounter#restore(CounterSnapshot) restore}.
 *
 * @param asOf the time the snapshot was taken at; entries not seen within 30 days before it were
 *     dropped
 * @param applications one table per application that was ever counted, in the order they were first
 *     counted
 */
public record CounterSnapshot(Instant asOf, List<ApplicationCounts> applications) {

  /** Checks that no application appears twice. */
  public CounterSnapshot {
    Objects.requireNonNull(asOf, "asOf");
    applications = List.copyOf(applications);
    Set<Guid> seen = new HashSet<>();
    for (ApplicationCounts a : applications) {
      if (!seen.add(a.applicationId())) {
        throw new IllegalArgumentException("application " + a.applicationId() + " appears twice");
      }
    }
  }

  /** The table of {@code applicationId}, if it was ever counted. */
  public Optional<ApplicationCounts> application(Guid applicationId) {
    return applications.stream().filter(a -> a.applicationId().equals(applicationId)).findFirst();
  }
}
