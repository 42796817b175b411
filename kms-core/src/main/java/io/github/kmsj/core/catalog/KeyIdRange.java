package io.github.kmsj.core.catalog;

/**
 * The inclusive range of 9-digit product key ids of a CSVLK; an ePID's parts 3 and 4 hold one of
 * them (docs/PROTOCOL.md §8).
 *
 * @param min the smallest key id
 * @param max the largest key id
 */
public record KeyIdRange(long min, long max) {

  /** The largest 9-digit key id. */
  public static final long MAX_KEY_ID = 999_999_999L;

  /** Checks {@code 0 <= min <= max <= 999999999}. */
  public KeyIdRange {
    if (min < 0 || max > MAX_KEY_ID || min > max) {
      throw new IllegalArgumentException(
          "key id range must lie within 0–999999999 with min <= max: [" + min + ", " + max + "]");
    }
  }

  /** Whether {@code keyId} lies in this range. */
  public boolean contains(long keyId) {
    return keyId >= min && keyId <= max;
  }
}
