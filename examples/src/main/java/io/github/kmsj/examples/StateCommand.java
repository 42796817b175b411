package io.github.kmsj.examples;

import io.github.kmsj.core.admin.HostAdmin;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.HostStateExporter;
import io.github.kmsj.core.store.HostStore;
import io.github.kmsj.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code kmsj status}, {@code kmsj export} and {@code kmsj import}: read a host's data directory,
 * or move its whole state (identity, counts, client records) to a new one through documented JSON.
 */
final class StateCommand {
  /** The JSON status file a running host refreshes beside {@link HostRuntime#STATUS_FILE}. */
  static final String STATUS_JSON_FILE = "status.json";

  private StateCommand() {}

  /** {@code kmsj status}. */
  @Command(
      name = "status",
      description = {
        "Counts per application, request counters and client records of a data directory.",
        "While a host runs on DIR (it holds DIR's lock) this prints the table it refreshes every"
            + " 5 s (DIR/status.txt); otherwise it reads the store itself, so a status file a"
            + " crashed host left behind is never shown."
      })
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "default ./kmsj-data")
    Path dir = Path.of("kmsj-data");

    @Option(names = "--json", description = "print JSON instead of tables")
    boolean json;

    @Override
    public Integer call() throws IOException {
      Logging.level("warn");
      PrintWriter out = spec.commandLine().getOut();
      if (!Files.isDirectory(dir)) {
        throw new UsageException("no data directory " + dir);
      }
      Path live = dir.resolve(json ? STATUS_JSON_FILE : HostRuntime.STATUS_FILE);
      KmsHost host;
      try {
        host = open(dir);
      } catch (HostRunning running) {
        if (!Files.exists(live)) {
          throw new UsageException(
              "a host runs on " + dir + " but has written no " + live.getFileName() + " yet");
        }
        out.print(Files.readString(live, StandardCharsets.UTF_8));
        out.flush();
        return Kmsj.OK;
      }
      try {
        Instant now = Instant.now();
        HostState state = host.state(now);
        if (json) {
          out.println(
              Json.text(
                  Json.status(state, Optional.empty(), host.catalog(), now, Integer.MAX_VALUE)));
        } else {
          out.print(StatusTable.format(state, Optional.empty(), host.catalog(), now));
          out.println("(the host is not running: request counters exist only while it runs)");
        }
        return Kmsj.OK;
      } finally {
        host.close();
      }
    }
  }

  /** {@code kmsj export}. */
  @Command(
      name = "export",
      description = "Write a host's whole state as JSON (the host must be stopped).")
  static final class Export implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "default ./kmsj-data")
    Path dir = Path.of("kmsj-data");

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the JSON file")
    Path file;

    @Option(
        names = "--store",
        paramLabel = "URL",
        description =
            "a cluster's PostgreSQL database (jdbc:postgresql://HOST[:PORT]/DB) instead of --data-dir")
    String store;

    @Option(
        names = "--store-credentials",
        paramLabel = "FILE",
        description = "the database user and password (user=..., password=...), owner-only")
    Path storeCredentials;

    @Option(
        names = "--host-id",
        paramLabel = "NAME",
        description = "whose identity to take (default: the machine's host name)")
    String hostId;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    @Override
    public Integer call() throws IOException {
      Logging.level("warn");
      KmsHost host;
      if (store != null) {
        host = openCluster(store, storeCredentials, hostId);
      } else {
        if (!Files.isDirectory(dir)) {
          throw new UsageException("no data directory " + dir);
        }
        host = open(dir);
      }
      try (OutputStream os = Files.newOutputStream(file)) {
        HostState state = host.state(Instant.now());
        new HostStateExporter().write(state, os);
        summary(spec.commandLine().getOut(), json, "exported", state, host.catalog(), "to", file);
        return Kmsj.OK;
      } finally {
        host.close();
        if (host.store() instanceof io.github.kmsj.store.postgres.PostgresHostStore pg) {
          deleteTree(pg.walDirectory());
        }
      }
    }
  }

  /** {@code kmsj import}. */
  @Command(
      name = "import",
      description = "Read a state written by kmsj export into a new data directory.")
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(
        names = "--data-dir",
        paramLabel = "NEWDIR",
        description = "the directory to fill (default ./kmsj-data)")
    Path dir = Path.of("kmsj-data");

    @Option(names = "--in", paramLabel = "FILE", required = true, description = "the JSON file")
    Path file;

    @Option(
        names = "--store",
        paramLabel = "URL",
        description =
            "a cluster's PostgreSQL database (jdbc:postgresql://HOST[:PORT]/DB) to fill instead of --data-dir")
    String store;

    @Option(
        names = "--store-credentials",
        paramLabel = "FILE",
        description = "the database user and password (user=..., password=...), owner-only")
    Path storeCredentials;

    @Option(
        names = "--host-id",
        paramLabel = "NAME",
        description =
            "the host that takes the imported identity (default: the machine's host name)")
    String hostId;

    @Option(names = "--replace", description = "overwrite a directory that already holds a state")
    boolean replace;

    @Option(
        names = "--new-identity",
        description =
            "keep the counts and clients under a freshly generated HWID and ePIDs, so the old and"
                + " the new host never answer with the same identity while both run")
    boolean newIdentity;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    @Override
    public Integer call() throws IOException {
      Logging.level("warn");
      HostStateExporter exporter = new HostStateExporter();
      HostState state;
      try (InputStream in = Files.newInputStream(file)) {
        state = exporter.read(in);
      }
      if (newIdentity) {
        state =
            HostAdmin.withNewIdentity(
                state,
                ProductCatalog.builtIn(),
                new SecureRandom(),
                Instant.now().atZone(ZoneOffset.UTC).toLocalDate());
      }
      if (store != null) {
        Path wal = Files.createTempDirectory("kmsj-import-log");
        try (HostStore target = ClusterStore.open(store, storeCredentials, hostId, wal)) {
          exporter.importInto(target, state, replace);
        } catch (StoreException e) {
          if (!replace && String.valueOf(e.getMessage()).contains("already holds a host state")) {
            throw new UsageException(
                ClusterStore.display(store) + " already holds a state; --replace overwrites it");
          }
          throw e;
        } finally {
          deleteTree(wal);
        }
      } else {
        try (FileHostStore target = FileHostStore.builder().directory(dir).build()) {
          exporter.importInto(target, state, replace);
        } catch (StoreException e) {
          if (!replace && String.valueOf(e.getMessage()).contains("already holds a host state")) {
            throw new UsageException(dir + " already holds a host state; --replace overwrites it");
          }
          throw e;
        }
      }
      summary(
          spec.commandLine().getOut(),
          json,
          "imported",
          state,
          ProductCatalog.builtIn(),
          "into",
          store != null ? Path.of(ClusterStore.display(store)) : dir);
      return Kmsj.OK;
    }
  }

  private static void summary(
      PrintWriter out,
      boolean json,
      String verb,
      HostState state,
      ProductCatalog catalog,
      String preposition,
      Path where) {
    if (json) {
      var root = Json.object();
      root.put(verb.equals("exported") ? "file" : "dataDir", where.toString());
      root.put("clientCount", state.clients().size());
      root.set("counts", Json.counts(state.currentCounts(), catalog));
      out.println(Json.text(root));
    } else {
      out.println(
          verb
              + " "
              + state.clients().size()
              + " client record(s) and counts "
              + counts(state.currentCounts(), catalog)
              + " "
              + preposition
              + " "
              + where);
    }
    out.flush();
  }

  /** {@code Windows 3, Office 2021 5}, or {@code none}. */
  static String counts(
      Map<io.github.kmsj.protocol.message.Guid, Integer> counts, ProductCatalog c) {
    if (counts.isEmpty()) {
      return "none";
    }
    return counts.entrySet().stream()
        .map(
            e ->
                Map.entry(
                    c.application(e.getKey()).map(a -> a.name()).orElse(e.getKey().toString()),
                    e.getValue()))
        .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** A host runs on the directory: it holds the store's lock. */
  static final class HostRunning extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    HostRunning(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A host on a cluster's database, for export: its local log in a temporary directory, since it
   * answers no client.
   */
  private static KmsHost openCluster(String url, Path credentials, String hostId)
      throws IOException {
    Path wal = Files.createTempDirectory("kmsj-export-log");
    try {
      return KmsHost.builder()
          .catalog(ProductCatalog.builtIn())
          .store(ClusterStore.open(url, credentials, hostId, wal))
          .build();
    } catch (StoreException e) {
      deleteTree(wal);
      throw new IllegalStateException(
          "cannot open " + ClusterStore.display(url) + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static KmsHost open(Path dir) {
    try {
      return KmsHost.builder()
          .catalog(ProductCatalog.builtIn())
          .store(FileHostStore.builder().directory(dir).build())
          .build();
    } catch (StoreException e) {
      if (String.valueOf(e.getMessage()).contains("is in use by another host")) {
        throw new HostRunning(
            "a host runs on "
                + dir
                + " (it holds the lock): "
                + e.getMessage()
                + "; export a running host live with kmsj admin --url URL --token-file FILE"
                + " export FILE",
            e);
      }
      throw new IllegalStateException("cannot open " + dir + ": " + e.getMessage(), e);
    }
  }
}
