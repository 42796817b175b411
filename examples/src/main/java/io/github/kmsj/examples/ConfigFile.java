package io.github.kmsj.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A {@code kmsj host --config FILE}: one {@code name = value} per line, where the names are the
 * command's long options without {@code --} ({@code listen = 0.0.0.0:1688}, {@code strict = true}).
 * {@code #} starts a comment line; a repeatable option takes a comma-separated list. The file
 * supplies defaults, so a flag on the command line overrides its line.
 *
 * <p>Notes: the format is deliberately the command line's own vocabulary, so that every option and
 * every future one is configurable without a second list of names to keep in step.
 */
final class ConfigFile implements IDefaultValueProvider {
  private final Path file;
  private final Map<String, String> values;
  private final Map<String, Integer> lines;

  private ConfigFile(Path file, Map<String, String> values, Map<String, Integer> lines) {
    this.file = file;
    this.values = values;
    this.lines = lines;
  }

  /**
   * Checks every value with {@code check} (which throws on a bad one), turning its failure into a
   * one-line error naming the file, the line and the option; values of {@code overridden} options
   * (given on the command line) are not used and not checked.
   */
  ConfigFile check(java.util.function.BiConsumer<String, String> check, Set<String> overridden) {
    values.forEach(
        (name, value) -> {
          if (overridden.contains(name)) {
            return;
          }
          try {
            check.accept(name, value);
          } catch (RuntimeException e) {
            throw new UsageException(
                file
                    + " line "
                    + lines.get(name)
                    + ": "
                    + name
                    + " = "
                    + value
                    + ": "
                    + Kmsj.describe(e));
          }
        });
    return this;
  }

  /**
   * Reads {@code file}; every name must be one of {@code names}, and {@code flags} (options without
   * a value) take {@code true} or {@code false}.
   */
  static ConfigFile read(Path file, Set<String> names, Set<String> flags) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot read --config " + file + ": " + Kmsj.describe(e));
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> numbers = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1);
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(where + ": expected name = value, not '" + line + "'");
      }
      String name = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip().replaceAll("\\s*,\\s*", ",");
      if (name.startsWith("--")) {
        name = name.substring(2);
      }
      if (!names.contains(name)) {
        throw new UsageException(where + ": unknown setting '" + name + "' (see kmsj host --help)");
      }
      if (flags.contains(name) && !value.equals("true") && !value.equals("false")) {
        throw new UsageException(where + ": " + name + " is true or false, not '" + value + "'");
      }
      numbers.put(name, i + 1);
      if (values.put(name, value) != null) {
        throw new UsageException(where + ": " + name + " is set twice");
      }
    }
    return new ConfigFile(file, values, numbers);
  }

  Path file() {
    return file;
  }

  /** The value of {@code name}, if the file sets it. */
  java.util.Optional<String> value(String name) {
    return java.util.Optional.ofNullable(values.get(name));
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec o) {
      return values.get(o.longestName().replaceFirst("^--", ""));
    }
    return null;
  }
}
