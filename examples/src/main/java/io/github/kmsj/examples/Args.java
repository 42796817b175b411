package io.github.kmsj.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser for the examples: {@code --name value}, {@code --name=value}, flags
 * and positional arguments. Every problem is a {@link UsageException} with a one-line message.
 */
final class Args {
  private final Map<String, List<String>> options = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  private final List<String> positional = new ArrayList<>();

  /** A usage error: the program prints its message on one line and exits with status 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code argv}; {@code valued} names the options that take a value, {@code flagNames}
   * those that do not. Single-letter aliases map through {@code aliases} (for example "-4" to
   * "--v4").
   */
  static Args parse(
      String[] argv, Set<String> valued, Set<String> flagNames, Map<String, String> aliases) {
    Args a = new Args();
    for (int i = 0; i < argv.length; i++) {
      String arg = aliases.getOrDefault(argv[i], argv[i]);
      if (arg.startsWith("--")) {
        String name = arg.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (flagNames.contains(name)) {
          if (value != null) {
            throw new UsageException("--" + name + " takes no value");
          }
          a.flags.add(name);
        } else if (valued.contains(name)) {
          if (value == null) {
            if (i + 1 >= argv.length) {
              throw new UsageException("--" + name + " needs a value");
            }
            value = argv[++i];
          }
          a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        } else {
          throw new UsageException("unknown option " + argv[i] + " (see --help)");
        }
      } else if (arg.startsWith("-") && arg.length() > 1 && !isNumber(arg)) {
        throw new UsageException("unknown option " + argv[i] + " (see --help)");
      } else {
        a.positional.add(arg);
      }
    }
    return a;
  }

  private static boolean isNumber(String s) {
    return s.matches("-\\d+");
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  String string(String name, String fallback) {
    List<String> v = options.get(name);
    return v == null ? fallback : v.get(v.size() - 1);
  }

  List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  int integer(String name, int fallback, int min, int max) {
    String v = string(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new UsageException("--" + name + " must be " + min + "-" + max + ": " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number: " + v);
    }
  }

  Duration minutes(String name, Duration fallback) {
    String v = string(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Duration.ofMinutes(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number of minutes: " + v);
    }
  }

  Duration seconds(String name, Duration fallback) {
    String v = string(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      double s = Double.parseDouble(v.trim());
      if (s <= 0 || s > 86_400) {
        throw new UsageException("--" + name + " must be 0-86400 seconds: " + v);
      }
      return Duration.ofMillis((long) (s * 1000));
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number of seconds: " + v);
    }
  }

  List<String> positional() {
    return positional;
  }

  static List<String> csv(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }
}
