package io.github.kmsj.examples;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.HostStateExporter;
import io.github.kmsj.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kmsj status}, {@code kmsj export} and {@code kmsj import}: read a host's data directory,
 * or move its whole state (identity, counts, client records) to a new one through documented JSON.
 */
final class StateCommand {
  static final String USAGE =
      """
      usage: kmsj status [--data-dir DIR]                 counts per application, counters and clients
             kmsj export [--data-dir DIR] --out FILE      the whole host state as JSON (host stopped)
             kmsj import --data-dir NEWDIR --in FILE [--replace]
        --data-dir defaults to ./kmsj-data. While a host runs on DIR, status prints the table the host
        refreshes every 5 s (DIR/status.txt); export and import need the host stopped.
      """;

  private StateCommand() {}

  static int run(String command, String[] argv, PrintStream out) throws IOException {
    Args a =
        Args.parse(
            argv,
            Set.of("data-dir", "out", "in"),
            Set.of("replace", "help"),
            Map.of("-h", "--help"));
    if (a.flag("help")) {
      out.print(USAGE);
      return 0;
    }
    if (!a.positional().isEmpty()) {
      throw new Args.UsageException("unexpected argument " + a.positional().get(0));
    }
    Logging.level("warn");
    Path dir = Path.of(a.string("data-dir", "kmsj-data"));
    switch (command) {
      case "status":
        return status(dir, out);
      case "export":
        return export(dir, Path.of(required(a, "out")), out);
      default:
        return importState(dir, Path.of(required(a, "in")), a.flag("replace"), out);
    }
  }

  private static String required(Args a, String name) {
    if (!a.has(name)) {
      throw new Args.UsageException("--" + name + " FILE is required");
    }
    return a.string(name, null);
  }

  private static int status(Path dir, PrintStream out) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new Args.UsageException("no data directory " + dir);
    }
    Path live = dir.resolve(HostRuntime.STATUS_FILE);
    if (Files.exists(live)) {
      out.print(Files.readString(live, StandardCharsets.UTF_8));
      return 0;
    }
    KmsHost host = open(dir);
    try {
      Instant now = Instant.now();
      out.print(StatusTable.format(host.state(now), Optional.empty(), host.catalog(), now));
      out.println("(the host is not running: request counters exist only while it runs)");
      return 0;
    } finally {
      host.close();
    }
  }

  private static int export(Path dir, Path file, PrintStream out) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new Args.UsageException("no data directory " + dir);
    }
    KmsHost host = open(dir);
    try (OutputStream os = Files.newOutputStream(file)) {
      HostState state = host.state(Instant.now());
      new HostStateExporter().write(state, os);
      out.println(
          "exported "
              + state.clients().size()
              + " client record(s) and counts "
              + state.currentCounts()
              + " to "
              + file);
      return 0;
    } finally {
      host.close();
    }
  }

  private static int importState(Path dir, Path file, boolean replace, PrintStream out)
      throws IOException {
    HostStateExporter exporter = new HostStateExporter();
    HostState state;
    try (InputStream in = Files.newInputStream(file)) {
      state = exporter.read(in);
    }
    try (FileHostStore store = FileHostStore.builder().directory(dir).build()) {
      exporter.importInto(store, state, replace);
    }
    out.println(
        "imported "
            + state.clients().size()
            + " client record(s) and counts "
            + state.currentCounts()
            + " into "
            + dir);
    return 0;
  }

  private static KmsHost open(Path dir) {
    try {
      return KmsHost.builder()
          .catalog(ProductCatalog.builtIn())
          .store(FileHostStore.builder().directory(dir).build())
          .build();
    } catch (StoreException e) {
      throw new IllegalStateException("cannot open " + dir + ": " + e.getMessage(), e);
    }
  }
}
