package io.github.kmsj.core.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how many client records a {@link ClientLedger} keeps. Counting is not affected: a
 * CMID always counts for {@link ClientLedger#ACTIVE_WINDOW 30 days} after its latest request.
 *
 * @param retention how long a client is remembered after its latest request; at least 30 days
 * @param maxClients the most client records kept; beyond it the least recently seen is forgotten
 */
public record LedgerLimits(Duration retention, int maxClients) {

  /** 90 days and 1,000,000 records. */
  public static final LedgerLimits DEFAULT = new LedgerLimits(Duration.ofDays(90), 1_000_000);

  /** Checks that retention covers the counting window and the cap is positive. */
  public LedgerLimits {
    Objects.requireNonNull(retention, "retention");
    if (retention.compareTo(ClientLedger.ACTIVE_WINDOW) < 0) {
      throw new IllegalArgumentException(
          "client retention must be at least the 30-day counting window: " + retention);
    }
    if (maxClients < 1) {
      throw new IllegalArgumentException("maxClients must be at least 1: " + maxClients);
    }
  }
}
