package io.github.kmsj.core.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store found when it loaded: where it started from and every problem it repaired.
 *
 * @param snapshotGeneration the generation of the snapshot it started from, empty when it replayed
 *     from nothing
 * @param replayedChanges how many journal records it replayed on top of the snapshot
 * @param warnings one sentence per repaired problem (such as a torn journal tail, with file and
 *     byte offset); empty when the store was clean
 */
public record StoreLoadReport(
    Optional<Long> snapshotGeneration, long replayedChanges, List<String> warnings) {

  /** A report of a store that had nothing in it. */
  public static final StoreLoadReport EMPTY = new StoreLoadReport(Optional.empty(), 0, List.of());

  /** Checks nulls and that the count is not negative. */
  public StoreLoadReport {
    Objects.requireNonNull(snapshotGeneration, "snapshotGeneration");
    warnings = List.copyOf(warnings);
    if (replayedChanges < 0) {
      throw new IllegalArgumentException(
          "replayedChanges must not be negative: " + replayedChanges);
    }
  }

  /** Whether the store had to repair something. */
  public boolean hasWarnings() {
    return !warnings.isEmpty();
  }
}
