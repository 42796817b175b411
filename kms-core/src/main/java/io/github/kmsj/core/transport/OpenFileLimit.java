package io.github.kmsj.core.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's soft limit on open file descriptors, as Linux reports it in {@code
 * /proc/self/limits}. HotSpot raises the soft limit to the hard one at start ({@code
 * -XX:+MaxFDLimit}, on by default), so this is normally the hard limit; each connection takes one
 * descriptor.
 */
final class OpenFileLimit {
  private static final Path LIMITS = Path.of("/proc/self/limits");

  private OpenFileLimit() {}

  /**
   * The soft limit, or empty where {@code /proc/self/limits} does not exist or says "unlimited".
   */
  static OptionalLong current() {
    if (!Files.isReadable(LIMITS)) {
      return OptionalLong.empty();
    }
    try {
      return parse(Files.readString(LIMITS, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** The soft "Max open files" of a {@code /proc/<pid>/limits} text. */
  static OptionalLong parse(String limits) {
    for (String line : limits.split("\n")) {
      if (line.startsWith("Max open files")) {
        String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
        if (fields.length > 0 && fields[0].chars().allMatch(Character::isDigit)) {
          return OptionalLong.of(Long.parseLong(fields[0]));
        }
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }
}
