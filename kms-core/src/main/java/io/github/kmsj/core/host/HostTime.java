package io.github.kmsj.core.host;

import io.github.kmsj.core.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The time a host counts with: its wall clock, trusted only while the monotonic ticker agrees.
 *
 * <p>The rule. Host time follows the wall clock as long as the wall clock has advanced like the
 * ticker since the last reading, within {@link #TOLERANCE}. When it has not (an NTP step, an
 * administrator, a VM restored from a snapshot), that is a step: it is reported, and host time
 * keeps advancing with the ticker from the last trusted reading, so a step that is undone within
 * the {@link #CONFIRMATION} period never reaches the count, the journal or a snapshot. A step the
 * wall clock holds for the whole confirmation period is confirmed and adopted: a forward step then
 * ages the count, and a backward step clamps every later time in the ledger to the new time ({@link
 * io.github.kmsj.core.ledger.HostChange.ClockStepped}), so no client keeps a last-seen date in the
 * future of later readings. Host time therefore never runs backwards except by that journaled,
 * confirmed clamp. A host restarted during a step cannot tell, and starts from the wall clock.
 *
 * <p>Not thread-safe: the host reads it under its lock.
 */
final class HostTime {

  /** The largest disagreement between wall clock and ticker that is drift, not a step. */
  static final Duration TOLERANCE = Duration.ofMinutes(5);

  /** How long the wall clock must hold a step before the host adopts it. */
  static final Duration CONFIRMATION = Duration.ofHours(1);

  private final InstantSource wall;
  private final Ticker ticker;
  private long anchorNanos;
  private long anchorTick;

  /** Whether a step is pending, its offset in nanoseconds and the tick it was first seen at. */
  private boolean pending;

  private long pendingOffset;
  private long pendingSince;

  /** The step the latest {@link #read} noticed or confirmed, until {@link #takeStep} takes it. */
  private ClockStep step;

  private static final long TOLERANCE_NANOS = TOLERANCE.toNanos();
  private static final long CONFIRMATION_NANOS = CONFIRMATION.toNanos();

  HostTime(InstantSource wall, Ticker ticker) {
    this.wall = wall;
    this.ticker = ticker;
    this.anchorNanos = nanos(wall.instant());
    this.anchorTick = ticker.read();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /** The host's time now; allocates nothing beyond the wall clock's reading while they agree. */
  Instant read() {
    Instant w = wall.instant();
    long tick = ticker.read();
    long expected = anchorNanos + (tick - anchorTick);
    long offset = nanos(w) - expected;
    if (Math.abs(offset) <= TOLERANCE_NANOS) {
      anchorNanos = nanos(w);
      anchorTick = tick;
      pending = false;
      return w;
    }
    Instant host = instant(expected);
    if (!pending || Math.abs(offset - pendingOffset) > TOLERANCE_NANOS) {
      pending = true;
      pendingOffset = offset;
      pendingSince = tick;
      step = new ClockStep(host, w, Duration.ofNanos(offset), false);
      return host;
    }
    if (tick - pendingSince >= CONFIRMATION_NANOS) {
      anchorNanos = nanos(w);
      anchorTick = tick;
      pending = false;
      step = new ClockStep(host, w, Duration.ofNanos(offset), true);
      return w;
    }
    return host;
  }

  /** The step the latest reading noticed or confirmed, once. */
  Optional<ClockStep> takeStep() {
    ClockStep s = step;
    step = null;
    return Optional.ofNullable(s);
  }
}
