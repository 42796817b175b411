package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.LocatorException;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.dns.PublishEvent;
import io.github.kmsj.dns.SrvLocator;
import io.github.kmsj.dns.SrvPublisher;
import io.github.kmsj.dns.migrate.SrvSurvey;
import io.github.kmsj.protocol.message.Guid;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kmsj dns}: lists a domain's {@code _vlmcs._tcp} SRV records in client order, publishes or
 * removes one.
 */
@Command(
    name = "dns",
    description = "List or publish _vlmcs._tcp SRV records (kmsj-dns).",
    subcommands = {
      DnsCommand.ListRecords.class,
      DnsCommand.CheckRecords.class,
      DnsCommand.Publish.class,
      DnsCommand.Remove.class
    })
final class DnsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Kmsj.USAGE;
  }

  /** The options {@code list} and {@code check} share. */
  abstract static class Survey implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(
        names = "--server",
        paramLabel = "HOST:PORT",
        description =
            "the DNS server to ask, for the records and their targets (default: the system's)")
    String server;

    @Option(names = "--timeout", paramLabel = "S", description = "seconds (default 5)")
    double timeout = 5;

    @Option(names = "--no-probe", description = "do not send each target a KMS probe")
    boolean noProbe;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    abstract String domain();

    abstract String name();

    /** The survey, or a failed lookup reported on stderr (and in JSON) with status 1. */
    SrvSurvey survey(PrintWriter out) {
      Logging.level("warn");
      Duration t = Options.seconds("--timeout", timeout);
      SrvLocator.Builder b = SrvLocator.builder();
      if (server != null) {
        b.server(HostAddresses.parse(server, 53), t);
      }
      SrvLocator locator;
      try {
        locator = b.build();
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      KmsClient client = KmsClient.builder().timeouts(t).build();
      ProductCatalog catalog = ProductCatalog.builtIn();
      ActivationRequest probe =
          ActivationRequest.forProduct(
                  catalog,
                  catalog
                      .kmsCountedId(Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148"))
                      .orElseThrow())
              .cmid(KmsHost.PROBE_CMID)
              .workstationName("kmsj-dns.invalid")
              .build();
      try {
        return SrvSurvey.of(
            locator, domain(), noProbe ? null : a -> client.activate(Target.of(a), probe));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      } catch (LocatorException e) {
        if (json) {
          ObjectNode root = Json.object();
          root.put("query", domain());
          root.putArray("records");
          root.put("error", Kmsj.describe(e));
          out.println(Json.text(root));
          out.flush();
        }
        spec.commandLine()
            .getErr()
            .println("kmsj dns " + name() + ": lookup failed: " + Kmsj.describe(e));
        return null;
      }
    }

    static ObjectNode json(SrvSurvey s) {
      ObjectNode root = Json.object();
      root.put("query", s.located().query());
      ArrayNode records = root.putArray("records");
      for (SrvSurvey.RecordView v : s.records()) {
        HostCandidate c = v.candidate();
        ObjectNode r = records.addObject();
        r.put("host", c.host());
        r.put("port", c.port());
        r.put("priority", c.priority());
        r.put("weight", c.weight());
        ArrayNode a = r.putArray("addresses");
        v.addresses().forEach(x -> a.add(x.getHostAddress()));
        r.put("addressError", v.addressError().orElse(null));
        if (v.answer().isPresent()) {
          r.put("answersKms", v.answersKms());
        } else {
          r.putNull("answersKms");
        }
        r.put("firstChoice", round(v.share().firstChoice()));
        r.put("withinPriority", round(v.share().withinPriority()));
        r.put("stale", v.isStale());
        r.put("staleReason", v.staleReason().orElse(null));
      }
      ArrayNode order = root.putArray("order");
      s.located().candidates().forEach(c -> order.add(c.address()));
      ArrayNode attempts = root.putArray("attempts");
      s.located().attempts().forEach(attempts::add);
      root.putNull("error");
      return root;
    }

    private static double round(double p) {
      return Math.round(p * 10_000) / 10_000.0;
    }

    static String line(SrvSurvey.RecordView v) {
      HostCandidate c = v.candidate();
      return String.format(
          Locale.ROOT,
          "%s:%d  priority %d  weight %d  first choice %s  addresses %s%s%s",
          c.host(),
          c.port(),
          c.priority(),
          c.weight(),
          percent(v.share().firstChoice()),
          v.addresses().isEmpty()
              ? "none"
              : v.addresses().stream()
                  .map(InetAddress::getHostAddress)
                  .collect(Collectors.joining(", ")),
          v.answer().isEmpty() ? "" : v.answersKms() ? "  answers KMS" : "",
          v.staleReason().map(r -> "  STALE: " + r).orElse(""));
    }

    static String percent(double p) {
      return String.format(Locale.ROOT, "%.1f%%", p * 100);
    }
  }

  /** {@code kmsj dns list}. */
  @Command(
      name = "list",
      description = {
        "Print the records in the order a Windows client tries them (RFC 2782), each target's"
            + " addresses through the same DNS server, whether it answers KMS (an uncounted probe)"
            + " and its chance of being a client's first choice.",
        "Status 1 when none is published or the lookup fails."
      })
  static final class ListRecords extends Survey {
    @Parameters(
        arity = "0..1",
        paramLabel = "DOMAIN",
        description =
            "the domain (corp.example or _vlmcs._tcp.corp.example); without it, the resolver's"
                + " search list")
    String domain;

    @Override
    String domain() {
      return domain;
    }

    @Override
    String name() {
      return "list";
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SrvSurvey s = survey(out);
      if (s == null) {
        return Kmsj.FAILED;
      }
      if (json) {
        out.println(Json.text(json(s)));
        out.flush();
        return s.records().isEmpty() ? Kmsj.FAILED : Kmsj.OK;
      }
      if (s.records().isEmpty()) {
        out.println(
            "no KMS host published for "
                + s.located().query()
                + " ("
                + String.join("; ", s.located().attempts())
                + ")");
        out.flush();
        return Kmsj.FAILED;
      }
      out.println(
          s.located().query()
              + ": "
              + s.records().size()
              + " record(s), in the order a client tries them this time");
      int i = 1;
      for (HostCandidate c : s.located().candidates()) {
        SrvSurvey.RecordView v =
            s.records().stream().filter(r -> r.candidate().equals(c)).findFirst().orElseThrow();
        out.println(i++ + ". " + line(v));
      }
      out.flush();
      return Kmsj.OK;
    }
  }

  /** {@code kmsj dns check}. */
  @Command(
      name = "check",
      description = {
        "Flag stale records (a target without an address through the DNS server, or nothing"
            + " answering KMS there) and print the expected share of clients per host.",
        "Status 0 when every record answers KMS, 3 when one is stale or none is published, 1 when"
            + " the lookup fails."
      })
  static final class CheckRecords extends Survey {
    @Parameters(
        paramLabel = "DOMAIN",
        description = "the domain (corp.example or _vlmcs._tcp.corp.example)")
    String domain;

    @Override
    String domain() {
      return domain;
    }

    @Override
    String name() {
      return "check";
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SrvSurvey s = survey(out);
      if (s == null) {
        return Kmsj.FAILED;
      }
      boolean bad = s.records().isEmpty() || !s.stale().isEmpty();
      if (json) {
        ObjectNode root = json(s);
        ArrayNode shares = root.putArray("shares");
        shares(s)
            .forEach(
                (host, share) -> {
                  ObjectNode o = shares.addObject();
                  o.put("host", host);
                  o.put("share", Math.round(share * 10_000) / 10_000.0);
                });
        root.put("ok", !bad);
        out.println(Json.text(root));
        out.flush();
        return bad ? Kmsj.REFUSED : Kmsj.OK;
      }
      if (s.records().isEmpty()) {
        out.println("FAIL no KMS host published for " + s.located().query());
        out.flush();
        return Kmsj.REFUSED;
      }
      for (SrvSurvey.RecordView v : s.records()) {
        out.println((v.isStale() ? "STALE " : "ok    ") + line(v));
      }
      out.println("expected share of clients while every host answers:");
      shares(s).forEach((host, share) -> out.println("  " + host + "  " + percent(share)));
      out.println(
          s.stale().isEmpty()
              ? "no stale record"
              : s.stale().size() + " stale record(s): clients that pick one fail over, slowly");
      out.flush();
      return bad ? Kmsj.REFUSED : Kmsj.OK;
    }

    /** Each target's share of first choices, summed over its records. */
    private static Map<String, Double> shares(SrvSurvey s) {
      Map<String, Double> out = new LinkedHashMap<>();
      for (SrvSurvey.RecordView v : s.records()) {
        out.merge(v.candidate().address(), v.share().firstChoice(), Double::sum);
      }
      return out;
    }
  }

  /** The options {@code publish} and {@code remove} share. */
  abstract static class Update implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(names = "--host", paramLabel = "FQDN", required = true, description = "the KMS host")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "its port (default 1688)")
    int port = 1688;

    @Option(
        names = "--domain",
        paramLabel = "D",
        description = "home domain (default: the host name without its first label)")
    String domain;

    @Option(names = "--priority", paramLabel = "P", description = "SRV priority (default 0)")
    int priority;

    @Option(names = "--weight", paramLabel = "W", description = "SRV weight (default 0)")
    int weight;

    @Option(
        names = "--extra",
        paramLabel = "DOMAIN:PRIORITY:WEIGHT",
        description = "also in this domain, repeatable")
    List<String> extra = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "S", description = "record TTL, seconds (default 3600)")
    Double ttl;

    @Option(
        names = "--server",
        paramLabel = "HOST:PORT",
        required = true,
        description = "the DNS server to update")
    String server;

    @Option(names = "--tsig-name", paramLabel = "NAME", description = "TSIG key name")
    String tsigName;

    @Option(
        names = "--tsig-secret-file",
        paramLabel = "FILE",
        description = "file holding the TSIG secret (base64, hmac-sha256)")
    Path tsigSecretFile;

    @Option(names = "--timeout", paramLabel = "S", description = "seconds (default 5)")
    double timeout = 5;

    abstract boolean publish();

    @Override
    public Integer call() {
      Logging.level("warn");
      Duration t = Options.seconds("--timeout", timeout);
      PublishOptions options =
          new PublishOptions(
              "",
              Optional.of(host),
              Optional.of(server),
              Optional.ofNullable(domain),
              priority,
              weight,
              Optional.ofNullable(ttl),
              extra,
              Optional.ofNullable(tsigName),
              Optional.ofNullable(tsigSecretFile));
      SrvPublisher publisher;
      try {
        publisher = options.publisher(Options.range("--port", port, 1, 65535), t).build();
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      try (publisher) {
        List<PublishEvent> events = publish() ? publisher.publishNow() : publisher.removeNow();
        for (PublishEvent e : events) {
          out.println(describe(e));
        }
        out.flush();
        return events.stream().allMatch(PublishEvent::isSuccess) ? Kmsj.OK : Kmsj.FAILED;
      }
    }
  }

  /** {@code kmsj dns publish}. */
  @Command(
      name = "publish",
      description =
          "Register the host by RFC 2136 dynamic update, signed with TSIG (hmac-sha256) when a key"
              + " is given, in the home domain and each --extra domain.")
  static final class Publish extends Update {
    @Override
    boolean publish() {
      return true;
    }
  }

  /** {@code kmsj dns remove}. */
  @Command(name = "remove", description = "Delete this host's records (Microsoft's slmgr /cdns).")
  static final class Remove extends Update {
    @Override
    boolean publish() {
      return false;
    }
  }

  static String describe(PublishEvent e) {
    if (e instanceof PublishEvent.Published p) {
      return "published "
          + p.recordName()
          + " -> "
          + p.target()
          + ":"
          + p.port()
          + " priority "
          + p.priority()
          + " weight "
          + p.weight()
          + " in zone "
          + p.zone()
          + " (replaced "
          + p.replaced()
          + ", verified)";
    }
    if (e instanceof PublishEvent.Removed r) {
      return "removed "
          + r.removed()
          + " record(s) "
          + r.recordName()
          + " -> "
          + r.target()
          + " from zone "
          + r.zone();
    }
    PublishEvent.Failed f = (PublishEvent.Failed) e;
    return "FAILED to "
        + f.operation().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + f.recordName()
        + ": "
        + f.reason()
        + " "
        + f.detail();
  }
}
