package io.github.kmsj.examples;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.ConnectionMode;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.KmsSession;
import io.github.kmsj.core.client.LocatorException;
import io.github.kmsj.core.client.StageTimings;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.dns.SrvLocator;
import io.github.kmsj.dns.SrvWalk;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kmsj probe}: sends activation requests to a KMS host and prints each decoded answer. */
@Command(
    name = "probe",
    description = {
      "Send activation requests to a KMS host and print each verified answer (kmsj-probe).",
      "With --requests N > 1 a summary follows: answered, below threshold, refused, failed and"
          + " the latency p50/p99; a progress bar runs on stderr when it is a terminal."
    })
final class ProbeCommand implements Callable<Integer> {
  private static final String DEFAULT_PRODUCT = "58e2134f-8e11-4d17-9cb2-91069c151148";

  @CommandLine.Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "HOST[:PORT]|.DOMAIN",
      description =
          "the KMS host (default port 1688; IPv6 as [::1]:1688), or .DOMAIN to find it through"
              + " _vlmcs._tcp.DOMAIN SRV records")
  String target;

  @Option(names = "--discover", paramLabel = "DOMAIN", description = "same as .DOMAIN")
  String discover;

  @Option(
      names = "--product",
      paramLabel = "NAME|GUID",
      description =
          "product by catalog name (\"Windows 10\", \"Office LTSC 2021\") or KMS counted ID"
              + " (default: Windows 10/11 Professional; kmsj products lists them)")
  String product;

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description = "extend the built-in catalog with this file for --product, as kmsj host does")
  Path catalog;

  @Option(names = "--app", paramLabel = "GUID", description = "application ID")
  String app;

  @Option(names = "--sku", paramLabel = "GUID", description = "SKU ID")
  String sku;

  @Option(names = "--kms-id", paramLabel = "GUID", description = "KMS counted ID")
  String kmsId;

  @Option(names = "-4", description = "protocol version 4 (default: the product's)")
  boolean v4;

  @Option(names = "-5", description = "protocol version 5")
  boolean v5;

  @Option(names = "-6", description = "protocol version 6")
  boolean v6;

  @Option(
      names = "--cmid",
      paramLabel = "GUID",
      description =
          "client machine ID (default: the uncounted probe CMID "
              + "6b6d736a-7072-6f62-6500-000000000000, which a kmsj host never counts and any"
              + " other host counts as one machine); a host counts this one")
  String cmid;

  @Option(
      names = "--random-cmid",
      description = "a new random CMID for every request; a host counts each")
  boolean randomCmid;

  @Option(
      names = "--clients",
      paramLabel = "FILE",
      description =
          "bulk mode: one request per line 'CMID,WORKSTATION[,PRODUCT]' (# starts a comment), all"
              + " in one process and association; a progress bar and a summary follow")
  Path clients;

  @Option(
      names = "--workstation",
      paramLabel = "NAME",
      description = "workstation name (default kmsj-probe.example.test)")
  String workstation = "kmsj-probe.example.test";

  @Option(names = "--policy", paramLabel = "N", description = "N policy (default: the product's)")
  Integer policy;

  @Option(names = "--status", paramLabel = "N", description = "license status 0-6 (default 2)")
  int status = 2;

  @Option(names = "--requests", paramLabel = "N", description = "number of requests (default 1)")
  int requests = 1;

  @Option(
      names = "--new-connection",
      description = "a new TCP connection per request (default: one association)")
  boolean newConnection;

  @Option(names = "--no-ndr64", description = "do not offer NDR64 in the RPC bind")
  boolean noNdr64;

  @Option(names = "--no-btfn", description = "do not offer bind-time feature negotiation")
  boolean noBtfn;

  @Option(
      names = "--dns-server",
      paramLabel = "HOST:PORT",
      description = "the DNS server for discovery (default: the system's)")
  String dnsServer;

  @Option(names = "--timeout", paramLabel = "S", description = "seconds per stage (default 5)")
  double timeout = 5;

  @Option(
      names = {"-v", "--verbose"},
      description = "print the decoded ePID and intervals")
  boolean verbose;

  @Option(names = "--json", description = "print one JSON document: every result and a summary")
  boolean json;

  private ProductCatalog resolvedCatalog;

  @Override
  public Integer call() throws IOException {
    Logging.level("warn");
    if (cmid != null && randomCmid) {
      throw new UsageException("give --cmid or --random-cmid, not both");
    }
    Target t = target();
    ProductCatalog catalog =
        this.catalog == null
            ? ProductCatalog.builtIn()
            : ProductCatalog.builtIn().extend(this.catalog);
    resolvedCatalog = catalog;
    ActivationRequest.Builder request = request(catalog);
    List<BulkLine> bulk = clients == null ? List.of() : BulkLine.read(clients, catalog);
    if (clients != null && (cmid != null || randomCmid || requests != 1)) {
      throw new UsageException("--clients sets CMIDs and the number of requests itself");
    }
    int total = clients == null ? Options.range("--requests", requests, 1, 1_000_000) : bulk.size();
    Duration stageTimeout = Options.seconds("--timeout", timeout);
    KmsClient.Builder client =
        KmsClient.builder()
            .timeouts(stageTimeout)
            .rpcOptions(new ClientRpcOptions(!noNdr64, !noBtfn, true))
            .connectionMode(
                newConnection
                    ? ConnectionMode.CONNECTION_PER_REQUEST
                    : ConnectionMode.REUSE_ASSOCIATION);
    SrvLocator locator = null;
    if (t instanceof Target.Discover) {
      SrvLocator.Builder dns = SrvLocator.builder();
      if (dnsServer != null) {
        dns.server(HostAddresses.parse(dnsServer, 53), stageTimeout);
      }
      locator = dns.build();
      client.locator(locator);
    }
    KmsClient kms = client.build();
    SecureRandom random = new SecureRandom();
    PrintWriter out = spec.commandLine().getOut();
    ProbeSummary summary = new ProbeSummary(total);
    ProgressBar progress =
        ProgressBar.forTerminal(spec.commandLine().getErr(), total, System.console() != null);
    JsonGenerator gen = json ? Json.MAPPER.getFactory().createGenerator(out) : null;
    if (gen != null) {
      gen.useDefaultPrettyPrinter();
      gen.writeStartObject();
    }
    if (cmid == null && !randomCmid) {
      request.cmid(KmsHost.PROBE_CMID);
    }
    Target sessionTarget = t;
    if (locator != null) {
      // The first request walks the SRV records like a client, so that every step can be told.
      if (randomCmid) {
        request.randomCmid(random);
      }
      ActivationRequest first =
          bulk.isEmpty() ? request.build() : bulkRequest(bulk.get(0), request);
      SrvWalk walk;
      try {
        walk =
            SrvWalk.walk(
                locator,
                ((Target.Discover) t).domain().orElse(null),
                a -> kms.activate(Target.of(a), first));
      } catch (LocatorException e) {
        ActivationResult r =
            new ActivationResult.NoHostFound(
                e.getMessage(), e.attempts(), List.of(), Optional.of(e), StageTimings.ZERO);
        return finishSingle(r, out, gen, summary, progress, List.of());
      }
      List<String> lines = walkLines(walk);
      ActivationResult r =
          walk.answered().flatMap(SrvWalk.Attempt::result).orElse(noHost(walkQuery(walk), walk));
      if (walk.answered().isPresent()) {
        sessionTarget = Target.of(walk.answered().get().address().orElseThrow());
      }
      if (total == 1 || walk.answered().isEmpty()) {
        return finishSingle(r, out, gen, summary, progress, lines);
      }
      if (gen == null) {
        lines.forEach(out::println);
      } else {
        gen.writeArrayFieldStart("discovery");
        for (String l : lines) {
          gen.writeString(l);
        }
        gen.writeEndArray();
      }
      return series(
          kms, sessionTarget, request, bulk, total, random, out, gen, summary, progress, r);
    }
    return series(
        kms, sessionTarget, request, bulk, total, random, out, gen, summary, progress, null);
  }

  /** The request of one bulk line: its CMID, name and product, the other options as given. */
  private ActivationRequest bulkRequest(BulkLine line, ActivationRequest.Builder common) {
    ActivationRequest.Builder b =
        line.product().isPresent()
            ? ActivationRequest.forProduct(resolvedCatalog, line.product().get())
                .licenseStatus(LicenseStatus.of(status))
            : common;
    return b.cmid(line.cmid()).workstationName(line.workstation()).build();
  }

  private static String walkQuery(SrvWalk walk) {
    return walk.located().query();
  }

  private static ActivationResult noHost(String query, SrvWalk walk) {
    List<ActivationResult.TransportFailure> failures = new ArrayList<>();
    for (SrvWalk.Attempt a : walk.attempts()) {
      a.result()
          .filter(ActivationResult.TransportFailure.class::isInstance)
          .map(ActivationResult.TransportFailure.class::cast)
          .ifPresent(failures::add);
    }
    List<String> attempts = new ArrayList<>(walk.located().attempts());
    for (SrvWalk.Attempt a : walk.attempts()) {
      attempts.add(a.candidate().address() + ": " + a.failoverReason().orElse("answered"));
    }
    return new ActivationResult.NoHostFound(
        query, attempts, failures, Optional.empty(), StageTimings.ZERO);
  }

  /** What a client following the records did, one line per step. */
  static List<String> walkLines(SrvWalk walk) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "SRV "
            + walk.located().query()
            + ": "
            + walk.located().candidates().size()
            + " record(s), order "
            + walk.located().candidates().stream()
                .map(
                    c -> c.address() + " (priority " + c.priority() + " weight " + c.weight() + ")")
                .collect(java.util.stream.Collectors.joining(", ")));
    for (SrvWalk.Attempt a : walk.attempts()) {
      String where =
          a.candidate().address()
              + a.address().map(x -> " at " + HostAddresses.format(x)).orElse("");
      lines.add(
          a.isFailover()
              ? "  " + where + ": failed over: " + a.failoverReason().orElse("")
              : "  "
                  + where
                  + ": answered (SRV record priority "
                  + a.candidate().priority()
                  + " weight "
                  + a.candidate().weight()
                  + ")");
    }
    return lines;
  }

  private int finishSingle(
      ActivationResult r,
      PrintWriter out,
      JsonGenerator gen,
      ProbeSummary summary,
      ProgressBar progress,
      List<String> lines)
      throws IOException {
    summary.add(r);
    if (gen != null) {
      gen.writeArrayFieldStart("discovery");
      for (String l : lines) {
        gen.writeString(l);
      }
      gen.writeEndArray();
      gen.writeArrayFieldStart("results");
      ResultFormat.writeJson(gen, 1, r);
      gen.writeEndArray();
      gen.writeFieldName("summary");
      summary.writeJson(gen);
      gen.writeEndObject();
      gen.flush();
      out.println();
    } else {
      lines.forEach(out::println);
      out.println("#1 " + ResultFormat.summary(r));
      if (verbose && !ResultFormat.details(r).isEmpty()) {
        out.println(ResultFormat.details(r));
      }
    }
    progress.done();
    out.flush();
    return summary.exitStatus();
  }

  private int series(
      KmsClient kms,
      Target target,
      ActivationRequest.Builder request,
      List<BulkLine> bulk,
      int total,
      SecureRandom random,
      PrintWriter out,
      JsonGenerator gen,
      ProbeSummary summary,
      ProgressBar progress,
      ActivationResult firstDone)
      throws IOException {
    if (gen != null) {
      gen.writeArrayFieldStart("results");
    }
    try (KmsSession session = kms.open(target)) {
      for (int i = 1; i <= total; i++) {
        ActivationResult result;
        if (i == 1 && firstDone != null) {
          result = firstDone;
        } else {
          if (randomCmid) {
            request.randomCmid(random);
          }
          ActivationRequest r =
              bulk.isEmpty() ? request.build() : bulkRequest(bulk.get(i - 1), request);
          result = session.activate(r);
        }
        summary.add(result);
        if (gen != null) {
          ResultFormat.writeJson(gen, i, result);
        } else if (bulk.isEmpty() || ProbeCommand.exitStatus(result) != Kmsj.OK) {
          out.println(
              "#"
                  + i
                  + (bulk.isEmpty() ? "" : " " + bulk.get(i - 1).text())
                  + " "
                  + ResultFormat.summary(result));
          if (verbose && !ResultFormat.details(result).isEmpty()) {
            out.println(ResultFormat.details(result));
          }
        }
        progress.update(i);
      }
    }
    progress.done();
    if (gen != null) {
      gen.writeEndArray();
      gen.writeFieldName("summary");
      summary.writeJson(gen);
      gen.writeEndObject();
      gen.flush();
      out.println();
    } else if (total > 1) {
      out.println(summary.text());
    }
    out.flush();
    return summary.exitStatus();
  }

  private Target target() {
    if (discover != null) {
      if (target != null) {
        throw new UsageException("give either HOST[:PORT] or --discover DOMAIN, not both");
      }
      return Target.discover(discover);
    }
    if (target == null) {
      throw new UsageException("give one HOST[:PORT] or .DOMAIN (see --help)");
    }
    if (target.matches("-\\d+(\\.\\d+)?")) {
      throw new UsageException(
          "expected HOST[:PORT] or .DOMAIN, not the negative number " + target);
    }
    if (target.startsWith(".")) {
      return Target.discover(target.substring(1));
    }
    return Target.of(HostAddresses.parse(target, 1688));
  }

  private ActivationRequest.Builder request(ProductCatalog catalog) {
    ActivationRequest.Builder b;
    String p = product != null ? product : kmsId != null ? null : DEFAULT_PRODUCT;
    if (p != null) {
      KmsCountedProduct found =
          p.length() == 36 && p.charAt(8) == '-'
              ? catalog
                  .kmsCountedId(guid(p, "--product"))
                  .orElseThrow(
                      () ->
                          new UsageException(
                              "no product with KMS counted ID " + p + " in the catalog"))
              : catalog
                  .findProductByName(p)
                  .orElseThrow(
                      () ->
                          new UsageException(
                              "no single catalog product matches '"
                                  + p
                                  + "' (kmsj products lists them)"));
      b = ActivationRequest.forProduct(catalog, found);
    } else {
      b = ActivationRequest.builder().kmsCountedId(guid(kmsId, "--kms-id"));
    }
    if (app != null) {
      b.applicationId(guid(app, "--app"));
    }
    if (sku != null) {
      b.skuId(guid(sku, "--sku"));
    }
    if (kmsId != null) {
      b.kmsCountedId(guid(kmsId, "--kms-id"));
    }
    if ((v4 ? 1 : 0) + (v5 ? 1 : 0) + (v6 ? 1 : 0) > 1) {
      throw new UsageException("give one of -4, -5 and -6");
    }
    if (v4 || v5 || v6) {
      b.version(v4 ? 4 : v5 ? 5 : 6);
    }
    if (cmid != null) {
      b.cmid(guid(cmid, "--cmid"));
    }
    if (policy != null) {
      b.requiredClientCount(Options.range("--policy", policy, 0, Integer.MAX_VALUE));
    }
    b.licenseStatus(LicenseStatus.of(Options.range("--status", status, 0, 6)));
    if (workstation.length() > 63) {
      throw new UsageException("--workstation must be at most 63 characters");
    }
    b.workstationName(workstation);
    return b;
  }

  static int exitStatus(ActivationResult result) {
    if (result instanceof ActivationResult.Activated
        || result instanceof ActivationResult.BelowThreshold) {
      return Kmsj.OK;
    }
    if (result instanceof ActivationResult.Refused) {
      return Kmsj.REFUSED;
    }
    return result instanceof ActivationResult.NoHostFound ? Kmsj.NO_HOST : Kmsj.TRANSPORT;
  }

  private static Guid guid(String text, String option) {
    try {
      return Guid.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          option + " needs a GUID like 55c92734-d682-4d71-983e-d6ec3f16059f: " + text);
    }
  }
}
