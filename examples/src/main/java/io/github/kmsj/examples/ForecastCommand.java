package io.github.kmsj.examples;

import io.github.kmsj.admin.http.ForecastJson;
import io.github.kmsj.core.admin.HostForecast;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.CloneDetection;
import io.github.kmsj.core.ledger.CountForecast;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.HostStateExporter;
import io.github.kmsj.core.store.StoreException;
import io.github.kmsj.core.time.Scheduler;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code kmsj forecast}: when counts fall below their thresholds, clients at risk, clones. */
@Command(
    name = "forecast",
    description = {
      "Per application, the day its count falls below each threshold if no new machine arrives"
          + " (clients seen within --renewing days are assumed to keep renewing), the clients not"
          + " seen for --not-seen days with the end of their 180-day activation, and the suspected"
          + " clones (one CMID from several workstation names within 30 days).",
      "Reads a stopped host's data directory or an export (kmsj export, or GET /api/export of a"
          + " running host's admin endpoint)."
    })
final class ForecastCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "a stopped host's data")
  Path dir;

  @Option(names = "--in", paramLabel = "FILE", description = "an export instead of --data-dir")
  Path in;

  @Option(
      names = "--thresholds",
      paramLabel = "N,...",
      split = ",",
      description = "the N policies to forecast (default 5,25)")
  List<Integer> thresholds = List.of(5, 25);

  @Option(
      names = "--renewing",
      paramLabel = "DAYS",
      description = "clients seen within this many days keep renewing (default 8; 0: nobody)")
  int renewingDays = 8;

  @Option(
      names = "--not-seen",
      paramLabel = "DAYS",
      description = "list clients not seen for this many days (default 30)")
  int notSeenDays = 30;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() throws IOException {
    Logging.level("warn");
    if ((dir == null) == (in == null)) {
      throw new UsageException("give --data-dir DIR or --in FILE");
    }
    Options.range("--renewing", renewingDays, 0, 180);
    Options.range("--not-seen", notSeenDays, 0, 3650);
    for (int t : thresholds) {
      Options.range("--thresholds", t, 1, 1000);
    }
    ProductCatalog catalog = ProductCatalog.builtIn();
    Instant now = Scheduler.system().instant();
    HostState state = state(now);
    HostForecast forecast =
        HostForecast.of(
            state.ledger(),
            now,
            Map.of(),
            thresholds,
            Duration.ofDays(renewingDays),
            Duration.ofDays(notSeenDays));
    List<CountForecast.ApplicationForecast> forecasts = forecast.applications();
    List<CountForecast.AtRisk> risk = forecast.notSeen();
    List<CloneDetection.SuspectedClone> clones = forecast.clones();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(ForecastJson.text(forecast, catalog));
      out.flush();
      return Kmsj.OK;
    }
    out.println("as of " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    for (CountForecast.ApplicationForecast f : forecasts) {
      out.printf(
          Locale.ROOT, "%s: count %d (%d renewing)%n", name(catalog, f), f.count(), f.renewing());
      for (CountForecast.Threshold t : f.thresholds()) {
        out.println(
            "  N "
                + t.threshold()
                + ": "
                + (t.alreadyBelow()
                    ? "below already"
                    : t.fallsBelowOn()
                        .map(d -> "falls below on " + d)
                        .orElse("stays at or above (enough clients renew)")));
      }
    }
    out.println(risk.size() + " client(s) not seen for " + notSeenDays + " days or more");
    for (CountForecast.AtRisk r : risk) {
      out.println(
          "  "
              + r.client().cmid()
              + " "
              + r.client().workstationName()
              + ", last seen "
              + r.client().lastSeen()
              + ", activation valid until "
              + r.validUntil());
    }
    out.println(clones.size() + " suspected clone(s)");
    for (CloneDetection.SuspectedClone c : clones) {
      out.println(
          "  "
              + c.cmid()
              + " names "
              + String.join(", ", c.workstationNames())
              + " addresses "
              + c.addresses().stream()
                  .map(InetAddress::getHostAddress)
                  .collect(Collectors.joining(", ")));
    }
    out.flush();
    return Kmsj.OK;
  }

  private HostState state(Instant now) throws IOException {
    if (in != null) {
      try (InputStream s = Files.newInputStream(in)) {
        return new HostStateExporter().read(s);
      } catch (StoreException e) {
        throw new UsageException("cannot read " + in + ": " + e.getMessage());
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageException("no data directory " + dir);
    }
    KmsHost host;
    try {
      host = KmsHost.builder().store(FileHostStore.builder().directory(dir).build()).build();
    } catch (StoreException e) {
      throw new IllegalStateException("cannot open " + dir + ": " + e.getMessage(), e);
    }
    try {
      return host.state(now);
    } finally {
      host.close();
    }
  }

  private static String name(ProductCatalog catalog, CountForecast.ApplicationForecast f) {
    return catalog
        .application(f.applicationId())
        .map(a -> a.name())
        .orElse(f.applicationId().toString());
  }
}
