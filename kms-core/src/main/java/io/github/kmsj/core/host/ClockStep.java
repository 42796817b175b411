package io.github.kmsj.core.host;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A step of the host's wall clock against its monotonic ticker, as {@link KmsHost} reports it to
 * {@link HostListener#onClockStep}.
 *
 * @param hostTime the host's time when it was noticed (the time it counts with)
 * @param wallClock what the wall clock read then
 * @param offset {@code wallClock - hostTime}: positive for a step forward
 * @param confirmed false when first noticed (the host keeps counting on the ticker); true when the
 *     wall clock held the step for the confirmation period and the host adopted it
 */
public record ClockStep(Instant hostTime, Instant wallClock, Duration offset, boolean confirmed) {
  /** Null checks. */
  public ClockStep {
    Objects.requireNonNull(hostTime, "hostTime");
    Objects.requireNonNull(wallClock, "wallClock");
    Objects.requireNonNull(offset, "offset");
  }
}
