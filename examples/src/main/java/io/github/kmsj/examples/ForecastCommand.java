package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    var ledger = state.ledger();
    List<CountForecast.ApplicationForecast> forecasts =
        CountForecast.forecast(ledger, now, thresholds, Duration.ofDays(renewingDays));
    List<CountForecast.AtRisk> risk =
        CountForecast.notSeenFor(ledger, now, Duration.ofDays(notSeenDays));
    List<CloneDetection.SuspectedClone> clones =
        CloneDetection.find(ledger, now, CloneDetection.DEFAULT_WINDOW);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.text(json(forecasts, risk, clones, catalog, now)));
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

  private static ObjectNode json(
      List<CountForecast.ApplicationForecast> forecasts,
      List<CountForecast.AtRisk> risk,
      List<CloneDetection.SuspectedClone> clones,
      ProductCatalog catalog,
      Instant now) {
    ObjectNode root = Json.object();
    root.put("asOf", now.toString());
    ArrayNode apps = root.putArray("applications");
    for (CountForecast.ApplicationForecast f : forecasts) {
      ObjectNode a = apps.addObject();
      a.put("applicationId", f.applicationId().toString());
      a.put("name", name(catalog, f));
      a.put("count", f.count());
      a.put("renewing", f.renewing());
      ArrayNode ts = a.putArray("thresholds");
      for (CountForecast.Threshold t : f.thresholds()) {
        ObjectNode o = ts.addObject();
        o.put("threshold", t.threshold());
        o.put("alreadyBelow", t.alreadyBelow());
        o.put("fallsBelowAt", t.fallsBelowAt().map(Instant::toString).orElse(null));
        o.put("fallsBelowOn", t.fallsBelowOn().map(Object::toString).orElse(null));
      }
    }
    ArrayNode r = root.putArray("notSeen");
    for (CountForecast.AtRisk x : risk) {
      ObjectNode o = r.addObject();
      o.put("cmid", x.client().cmid().toString());
      o.put("workstationName", x.client().workstationName());
      o.put("lastSeen", x.client().lastSeen().toString());
      o.put("validUntil", x.validUntil().toString());
    }
    ArrayNode c = root.putArray("clones");
    for (CloneDetection.SuspectedClone x : clones) {
      ObjectNode o = c.addObject();
      o.put("cmid", x.cmid().toString());
      o.put("applicationId", x.applicationId().toString());
      ArrayNode names = o.putArray("workstationNames");
      x.workstationNames().forEach(names::add);
      ArrayNode addresses = o.putArray("addresses");
      new ArrayList<>(x.addresses()).forEach(a -> addresses.add(a.getHostAddress()));
    }
    return root;
  }
}
