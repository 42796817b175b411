package io.github.kmsj.examples;

import java.util.Locale;
import java.util.Set;

/** Sets slf4j-simple's level before the first logger exists. */
final class Logging {
  private static final Set<String> LEVELS =
      Set.of("trace", "debug", "info", "warn", "error", "off");

  private Logging() {}

  /** The level in lower case, or a usage error naming {@code --log-level}. */
  static String check(String level) {
    String l = level.toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(l)) {
      throw new UsageException(
          "--log-level must be one of trace, debug, info, warn, error, off: " + level);
    }
    return l;
  }

  static void level(String level) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", check(level));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
  }
}
