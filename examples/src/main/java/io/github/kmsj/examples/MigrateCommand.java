package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.dns.SrvLocator;
import io.github.kmsj.dns.migrate.AdminChecks;
import io.github.kmsj.dns.migrate.Check;
import io.github.kmsj.dns.migrate.CheckStatus;
import io.github.kmsj.dns.migrate.MigrationCheck;
import io.github.kmsj.dns.migrate.MigrationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code kmsj migrate}: the KMS host migration runbook's checks. */
@Command(
    name = "migrate",
    description = "Check a move from an old KMS host to a new one (kmsj-migrate).",
    subcommands = {MigrateCommand.CheckCommand.class})
final class MigrateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Kmsj.USAGE;
  }

  /** {@code kmsj migrate check}. */
  @Command(
      name = "check",
      description = {
        "Run the migration runbook's checks against the old and the new host: SRV records, TCP"
            + " reachability, each host probed without DNS, the coverage matrix of every KMS"
            + " counted ID, identity clashes and the order a client following DNS tries them in;"
            + " each PASS, WARN or FAIL with its evidence.",
        "Every probe carries the reserved probe CMID: a kmsj host never counts it, any other host"
            + " counts it as one machine per application, the same at every check.",
        "Status 0 when nothing failed, 3 when a check failed, 2 for bad arguments."
      })
  static final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(
        names = "--old",
        paramLabel = "HOST[:PORT]",
        required = true,
        description = "the host being retired (default port 1688)")
    String oldHost;

    @Option(
        names = "--new",
        paramLabel = "HOST[:PORT]",
        required = true,
        description = "the host taking over (default port 1688)")
    String newHost;

    @Option(
        names = "--domain",
        paramLabel = "D",
        description = "the domain clients find hosts in (corp.example or _vlmcs._tcp.corp.example)")
    String domain;

    @Option(
        names = "--search-list",
        description = "check the records of the resolver's search list instead of one domain")
    boolean searchList;

    @Option(
        names = "--dns-server",
        paramLabel = "HOST[:PORT]",
        description = "the DNS server for the SRV records and their targets (default the system's)")
    String dnsServer;

    @Option(
        names = "--catalog",
        paramLabel = "FILE",
        description = "extend the built-in catalog (the coverage matrix probes all its IDs)")
    Path catalog;

    @Option(
        names = "--associations",
        paramLabel = "N",
        description = "associations per host for the coverage matrix (default 4)")
    int associations = 4;

    @Option(names = "--timeout", paramLabel = "S", description = "seconds per stage (default 5)")
    double timeout = 5;

    @Option(
        names = "--old-admin",
        paramLabel = "URL",
        description = "the old host's admin endpoint (kmsj host --admin), e.g. http://kms-old:8088")
    String oldAdmin;

    @Option(
        names = "--new-admin",
        paramLabel = "URL",
        description = "the new host's admin endpoint")
    String newAdmin;

    @Option(
        names = "--admin-token-file",
        paramLabel = "FILE",
        description = "the admin token, its first line (both endpoints' token)")
    Path adminTokenFile;

    @Option(
        names = "--cutover",
        paramLabel = "INSTANT",
        description =
            "when the SRV records were switched, e.g. 2026-12-01T09:00:00Z (default: the"
                + " new host's first client)")
    String cutover;

    @Option(
        names = "--retire-margin",
        paramLabel = "HOURS",
        description =
            "added to the renewal interval before the old host counts as quiet (default 24)")
    int retireMarginHours = 24;

    @Option(names = "--json", description = "print one JSON document")
    boolean json;

    @Option(names = "--junit", paramLabel = "FILE", description = "also write a JUnit XML report")
    Path junit;

    @Option(
        names = {"-v", "--verbose"},
        description = "print the evidence of passed checks too")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
      Logging.level("warn");
      Duration t = Options.seconds("--timeout", timeout);
      MigrationCheck.Builder b =
          MigrationCheck.builder()
              .oldHost(HostAddresses.parse(oldHost, 1688))
              .newHost(HostAddresses.parse(newHost, 1688))
              .timeout(t)
              .associations(Options.range("--associations", associations, 1, 64));
      if (domain != null && searchList) {
        throw new UsageException("give --domain or --search-list, not both");
      }
      if (domain != null) {
        b.domain(domain);
      }
      if (searchList) {
        b.searchList();
      }
      SrvLocator.Builder dns = SrvLocator.builder();
      if (dnsServer != null) {
        dns.server(HostAddresses.parse(dnsServer, 53), t);
      }
      b.locator(dns.build());
      if (catalog != null) {
        b.catalog(ProductCatalog.builtIn().extend(catalog));
      }
      if ((oldAdmin == null) != (newAdmin == null)) {
        throw new UsageException("give both --old-admin and --new-admin, or neither");
      }
      if (oldAdmin != null) {
        if (adminTokenFile == null) {
          throw new UsageException("--old-admin and --new-admin need --admin-token-file");
        }
        String token = AdminEndpoint.readToken(adminTokenFile);
        Optional<Instant> cut;
        try {
          cut = Optional.ofNullable(cutover).map(Instant::parse);
        } catch (java.time.format.DateTimeParseException e) {
          throw new UsageException(
              "--cutover needs an instant like 2026-12-01T09:00:00Z: " + cutover);
        }
        b.admin(
            AdminChecks.of(
                new AdminEndpoint(oldAdmin, token, t).source(),
                new AdminEndpoint(newAdmin, token, t).source(),
                cut,
                Duration.ofHours(Options.range("--retire-margin", retireMarginHours, 0, 24 * 90)),
                () -> Scheduler.system().instant()));
      } else if (cutover != null) {
        throw new UsageException("--cutover needs --old-admin and --new-admin");
      }
      MigrationCheck check;
      try {
        check = b.build();
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      MigrationReport report = check.run();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.text(json(report)));
      } else {
        table(report, out, verbose);
      }
      out.flush();
      if (junit != null) {
        writeJunit(report, junit);
      }
      return report.passed() ? Kmsj.OK : Kmsj.REFUSED;
    }
  }

  static void table(MigrationReport report, PrintWriter out, boolean verbose) {
    int width = report.checks().stream().mapToInt(c -> c.id().length()).max().orElse(2);
    for (Check c : report.checks()) {
      out.printf(Locale.ROOT, "%-4s  %-" + width + "s  %s%n", c.status(), c.id(), c.summary());
      if (verbose || c.status() != CheckStatus.PASS) {
        for (String d : c.details()) {
          out.println(" ".repeat(width + 8) + d);
        }
      }
    }
    out.printf(
        Locale.ROOT,
        "%d passed, %d warnings, %d failed in %.1f s (coverage matrix %.1f s)%n",
        report.count(CheckStatus.PASS),
        report.count(CheckStatus.WARN),
        report.count(CheckStatus.FAIL),
        report.elapsed().toMillis() / 1000.0,
        report.coverageElapsed().toMillis() / 1000.0);
  }

  static ObjectNode json(MigrationReport report) {
    ObjectNode root = Json.object();
    ArrayNode checks = root.putArray("checks");
    for (Check c : report.checks()) {
      ObjectNode o = checks.addObject();
      o.put("id", c.id());
      o.put("status", c.status().name());
      o.put("summary", c.summary());
      ArrayNode d = o.putArray("details");
      c.details().forEach(d::add);
    }
    root.put("passed", report.passed());
    root.put("pass", report.count(CheckStatus.PASS));
    root.put("warn", report.count(CheckStatus.WARN));
    root.put("fail", report.count(CheckStatus.FAIL));
    root.put("elapsedMs", report.elapsed().toMillis());
    root.put("coverageElapsedMs", report.coverageElapsed().toMillis());
    return root;
  }

  /** A JUnit XML report: one test case per check, a FAIL as a failure, a WARN in system-out. */
  static void writeJunit(MigrationReport report, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeStartElement("testsuite");
      x.writeAttribute("name", "kmsj migrate check");
      x.writeAttribute("tests", Integer.toString(report.checks().size()));
      x.writeAttribute("failures", Long.toString(report.count(CheckStatus.FAIL)));
      x.writeAttribute("errors", "0");
      x.writeAttribute("skipped", "0");
      x.writeAttribute(
          "time", String.format(Locale.ROOT, "%.3f", report.elapsed().toMillis() / 1000.0));
      for (Check c : report.checks()) {
        x.writeStartElement("testcase");
        x.writeAttribute("classname", "kmsj.migrate");
        x.writeAttribute("name", c.id());
        if (c.status() == CheckStatus.FAIL) {
          x.writeStartElement("failure");
          x.writeAttribute("message", c.summary());
          x.writeAttribute("type", "FAIL");
          x.writeCharacters(String.join("\n", c.details()));
          x.writeEndElement();
        }
        x.writeStartElement("system-out");
        x.writeCharacters(c.status() + " " + c.summary() + "\n" + String.join("\n", c.details()));
        x.writeEndElement();
        x.writeEndElement();
      }
      x.writeEndElement();
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
