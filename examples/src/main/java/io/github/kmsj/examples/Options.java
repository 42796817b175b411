package io.github.kmsj.examples;

import java.time.Duration;
import java.util.Locale;

/** Range checks for option values, with messages that name the option and the value as typed. */
final class Options {
  private Options() {}

  static int range(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new UsageException(option + " must be " + min + "-" + max + ": " + value);
    }
    return value;
  }

  /** A number of seconds, more than 0 and at most a day. */
  static Duration seconds(String option, double seconds) {
    if (!(seconds > 0 && seconds <= 86_400)) {
      throw new UsageException(option + " must be 0-86400 seconds: " + number(seconds));
    }
    return Duration.ofMillis((long) (seconds * 1000));
  }

  /** A number of minutes as a duration. */
  static Duration minutes(long minutes) {
    return Duration.ofMinutes(minutes);
  }

  /** {@code 2 min}, {@code 1 day} or {@code 7 days}: the unit intervals are given in. */
  static String minutesText(Duration d) {
    long m = d.toMinutes();
    if (m != 0 && m % 1440 == 0) {
      long days = m / 1440;
      return days + (days == 1 ? " day" : " days");
    }
    return m + " min";
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%s", v);
  }
}
