package io.github.kmsj.core.count;

import io.github.kmsj.protocol.message.Guid;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link ActivationCounter#record}: the request was counted, or its N policy was
 * refused.
 */
public sealed interface CountResult permits CountResult.Counted, CountResult.PolicyTooHigh {

  /** Whether the request was refused and the table left untouched. */
  boolean isRefused();

  /**
   * The request was counted.
   *
   * @param count the number of distinct CMIDs active for the application, this one included; the
   *     host's {@code currentClientCount}
   * @param newCmid whether the CMID was not in the table (a first request, or one after it expired
   *     or was evicted)
   * @param evicted the least recently seen CMID that made room for this one, if the table was full
   */
  record Counted(int count, boolean newCmid, Optional<Guid> evicted) implements CountResult {

    /** Checks that the count is positive. */
    public Counted {
      if (count < 1) {
        throw new IllegalArgumentException("count must be at least 1: " + count);
      }
      Objects.requireNonNull(evicted, "evicted");
    }

    /** False: a counted request was not refused. */
    @Override
    public boolean isRefused() {
      return false;
    }
  }

  /**
   * The request's N policy exceeds {@link ActivationCounter#MAX_POLICY}; a host answers {@code
   * 0x8007000D} (PROTOCOL.md §7.2, vlmcsd's guard).
   *
   * @param requiredClientCount the policy as sent, read as an unsigned 32-bit number
   */
  record PolicyTooHigh(long requiredClientCount) implements CountResult {

    /** Checks that the policy really is too high. */
    public PolicyTooHigh {
      if (requiredClientCount <= ActivationCounter.MAX_POLICY
          || requiredClientCount > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            "requiredClientCount must be "
                + (ActivationCounter.MAX_POLICY + 1)
                + "–4294967295: "
                + requiredClientCount);
      }
    }

    /** True: the request was refused. */
    @Override
    public boolean isRefused() {
      return true;
    }
  }
}
