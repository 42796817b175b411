package io.github.kmsj.protocol.message;

import java.time.Instant;

/**
 * A Windows FILETIME: an unsigned count of 100-nanosecond intervals since 1601-01-01T00:00:00Z.
 *
 * <p>Kept as the raw wire value so that echoes are byte-exact; {@link #toInstant()} converts.
 *
 * @param value the unsigned 64-bit count
 */
public record Filetime(long value) {
  /** Seconds from 1601-01-01 to 1970-01-01. */
  static final long EPOCH_DIFF_SECONDS = 11_644_473_600L;

  private static final long TICKS_PER_SECOND = 10_000_000L;

  /**
   * The FILETIME of an instant (sub-100 ns precision is truncated).
   *
   * @throws IllegalArgumentException when the instant is before 1601 or after the last unsigned
   *     FILETIME
   */
  public static Filetime of(Instant instant) {
    long seconds = Math.addExact(instant.getEpochSecond(), EPOCH_DIFF_SECONDS);
    if (seconds < 0) {
      throw new IllegalArgumentException("instant before 1601-01-01: " + instant);
    }
    long ticks = instant.getNano() / 100;
    long maxSeconds = Long.divideUnsigned(-1L, TICKS_PER_SECOND);
    if (seconds > maxSeconds
        || (seconds == maxSeconds && ticks > Long.remainderUnsigned(-1L, TICKS_PER_SECOND))) {
      throw new IllegalArgumentException(
          "instant after the last FILETIME (unsigned 64-bit): " + instant);
    }
    // Unsigned: the product and sum fit 64 bits by the check above, and may exceed Long.MAX_VALUE.
    return new Filetime(seconds * TICKS_PER_SECOND + ticks);
  }

  /** The instant of this FILETIME (exact: an Instant holds nanoseconds). */
  public Instant toInstant() {
    long seconds = Long.divideUnsigned(value, TICKS_PER_SECOND);
    long ticks = Long.remainderUnsigned(value, TICKS_PER_SECOND);
    return Instant.ofEpochSecond(seconds - EPOCH_DIFF_SECONDS, ticks * 100);
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(value) + " (" + toInstant() + ")";
  }
}
