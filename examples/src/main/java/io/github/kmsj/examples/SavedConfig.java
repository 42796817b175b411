package io.github.kmsj.examples;

import io.github.kmsj.core.admin.AdminListener;
import io.github.kmsj.core.admin.AdminSettings;
import io.github.kmsj.core.admin.AuditEntry;
import io.github.kmsj.core.admin.HostAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The saved configuration of {@code kmsj host}: {@value #FILE_NAME} in the data directory, in the
 * {@code name = value} format of {@code --config} (the long option names without {@code --}). At
 * start the host writes every option that differs from its built-in default, whether it came from
 * the command line, {@code --config} or this file; every change made at run time ({@code sri},
 * {@code sprt}, {@code cdns}, ...) is written the same way. Writes are atomic (a temporary file
 * moved over the old one). Precedence at start: the command line, then this file, then {@code
 * --config FILE}, then the built-in defaults.
 */
final class SavedConfig implements AdminListener {
  private static final Logger log = LoggerFactory.getLogger(SavedConfig.class);

  /** The file's name in the data directory. */
  static final String FILE_NAME = "kmsj-host.conf";

  /** Options that describe a run rather than the host, never saved. */
  static final Set<String> NOT_SAVED = Set.of("config", "data-dir", "help", "version");

  private final Path file;
  private final Map<String, String> values;
  private final Supplier<List<InetSocketAddress>> listening;

  private SavedConfig(
      Path file, Map<String, String> values, Supplier<List<InetSocketAddress>> listening) {
    this.file = file;
    this.values = values;
    this.listening = listening;
  }

  /**
   * The options of {@code spec} (a parsed {@code kmsj host}) that differ from their defaults, for
   * {@code dataDir}; {@code listening} tells the bound addresses after a port change.
   */
  static SavedConfig of(
      Path dataDir, CommandSpec spec, Supplier<List<InetSocketAddress>> listening) {
    Map<String, String> values = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      String name = o.longestName().replaceFirst("^--", "");
      if (o.usageHelp() || o.versionHelp() || NOT_SAVED.contains(name)) {
        continue;
      }
      Object value = o.getValue();
      Object initial = o.initialValue();
      if (value == null || value.equals(initial)) {
        continue;
      }
      if (value instanceof Collection<?> c && c.isEmpty()) {
        continue;
      }
      values.put(name, format(value));
    }
    return new SavedConfig(dataDir.resolve(FILE_NAME), values, listening);
  }

  static String format(Object value) {
    if (value instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(value);
  }

  Path file() {
    return file;
  }

  /** The values as they would be written. */
  synchronized Map<String, String> values() {
    return Map.copyOf(values);
  }

  /** Writes the file now. */
  synchronized void write() {
    StringBuilder text = new StringBuilder();
    text.append("# kmsj host: saved configuration, written by the host at start and on every\n")
        .append(
            "# run-time change. One 'name = value' per line, names as kmsj host's long options\n")
        .append("# without '--'. You may edit it while the host is stopped; the command line\n")
        .append("# overrides it, and it overrides --config FILE. See docs/ADMINISTRATION.md.\n");
    values.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void onChange(AuditEntry entry, AdminSettings settings) {
    switch (entry.setting()) {
      case HostAdmin.ACTIVATION_INTERVAL, HostAdmin.RENEWAL_INTERVAL ->
          values.put(entry.setting(), entry.newValue());
      case HostAdmin.PORT -> {
        values.put("port", entry.newValue());
        if (values.containsKey("listen")) {
          values.put(
              "listen",
              listening.get().stream().map(HostAddresses::format).collect(Collectors.joining(",")));
        }
      }
      case HostAdmin.LOW_PRIORITY -> values.put("low-priority", entry.newValue());
      case HostAdmin.DNS_PUBLISH -> values.put("dns-publish", entry.newValue());
      case HostAdmin.DNS_PRIORITY, HostAdmin.DNS_WEIGHT ->
          values.put(entry.setting(), entry.newValue());
      case HostAdmin.DNS_EXTRA -> {
        if (entry.newValue().isEmpty()) {
          values.remove("dns-extra");
        } else {
          values.put("dns-extra", entry.newValue());
        }
      }
      default -> {
        log.debug("setting {} is not saved", entry.setting());
        return;
      }
    }
    try {
      write();
    } catch (UncheckedIOException e) {
      log.warn("{}; the change holds until the host restarts", e.getMessage());
    }
  }
}
