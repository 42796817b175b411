package io.github.kmsj.core.ledger;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One day of an application's count history: the highest count a request of that UTC day was
 * answered with.
 *
 * @param day the UTC date
 * @param highestCount the day's highest count, 0–{@value ClientLedger#MAX_COUNT}
 */
public record DailyCount(LocalDate day, int highestCount) {
  /** Checks the range. */
  public DailyCount {
    Objects.requireNonNull(day, "day");
    if (highestCount < 0 || highestCount > ClientLedger.MAX_COUNT) {
      throw new IllegalArgumentException(
          "highestCount must be 0-" + ClientLedger.MAX_COUNT + ": " + highestCount);
    }
  }
}
