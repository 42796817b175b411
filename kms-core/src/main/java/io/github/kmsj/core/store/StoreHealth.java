package io.github.kmsj.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a {@link HostStore} acknowledges changes now: {@link Healthy}, or {@link Degraded} with
 * since when and why. A degraded store acknowledges nothing: every change appended while it is
 * degraded fails at once with a {@link StoreException}, so no answer reports a change the store
 * could lose.
 */
public sealed interface StoreHealth permits StoreHealth.Healthy, StoreHealth.Degraded {

  /** The health of a store that writes. */
  Healthy HEALTHY = new Healthy();

  /** Whether the store acknowledges changes. */
  boolean isHealthy();

  /** The store writes and acknowledges changes. */
  record Healthy() implements StoreHealth {
    @Override
    public boolean isHealthy() {
      return true;
    }
  }

  /**
   * The store cannot write and acknowledges nothing.
   *
   * @param since when the episode began, on the store's scheduler's wall clock
   * @param reason a sentence naming the file or directory and the error
   * @param failedChanges the changes not acknowledged since the episode began: those whose write
   *     failed and those refused at once since
   * @param retrying true if the store retries by itself and returns to {@link Healthy} once a write
   *     succeeds; false if it stays degraded until the host restarts (its directory was removed or
   *     replaced)
   */
  record Degraded(Instant since, String reason, long failedChanges, boolean retrying)
      implements StoreHealth {
    /** Checks its arguments. */
    public Degraded {
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(reason, "reason");
      if (failedChanges < 0) {
        throw new IllegalArgumentException("failedChanges must not be negative: " + failedChanges);
      }
    }

    @Override
    public boolean isHealthy() {
      return false;
    }
  }
}
