package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.LocatedHosts;
import io.github.kmsj.core.client.LocatorException;
import io.github.kmsj.dns.PublishEvent;
import io.github.kmsj.dns.SrvLocator;
import io.github.kmsj.dns.SrvPublisher;
import java.io.PrintWriter;
import java.nio.file.Path;
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

/**
 * {@code kmsj dns}: lists a domain's {@code _vlmcs._tcp} SRV records in client order, publishes or
 * removes one.
 */
@Command(
    name = "dns",
    description = "List or publish _vlmcs._tcp SRV records (kmsj-dns).",
    subcommands = {DnsCommand.ListRecords.class, DnsCommand.Publish.class, DnsCommand.Remove.class})
final class DnsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Kmsj.USAGE;
  }

  /** {@code kmsj dns list}. */
  @Command(
      name = "list",
      description =
          "Print the records in the order a Windows client tries them (RFC 2782); status 1 when"
              + " none is published or the lookup fails.")
  static final class ListRecords implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Parameters(paramLabel = "DOMAIN", description = "the domain to look up")
    String domain;

    @Option(
        names = "--server",
        paramLabel = "HOST:PORT",
        description = "the DNS server to ask (default: the system's)")
    String server;

    @Option(names = "--timeout", paramLabel = "S", description = "seconds (default 5)")
    double timeout = 5;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
      Logging.level("warn");
      Duration t = Options.seconds("--timeout", timeout);
      SrvLocator.Builder b = SrvLocator.builder();
      if (server != null) {
        b.server(HostAddresses.parse(server, 53), t);
      }
      PrintWriter out = spec.commandLine().getOut();
      LocatedHosts hosts;
      try {
        hosts = b.build().locate(domain);
      } catch (LocatorException e) {
        if (json) {
          ObjectNode root = Json.object();
          root.put("query", domain);
          root.putArray("records");
          root.put("error", Kmsj.describe(e));
          out.println(Json.text(root));
          out.flush();
        }
        spec.commandLine().getErr().println("kmsj dns list: lookup failed: " + Kmsj.describe(e));
        return Kmsj.FAILED;
      }
      if (json) {
        ObjectNode root = Json.object();
        root.put("query", hosts.query());
        ArrayNode records = root.putArray("records");
        for (HostCandidate c : hosts.candidates()) {
          ObjectNode r = records.addObject();
          r.put("host", c.host());
          r.put("port", c.port());
          r.put("priority", c.priority());
          r.put("weight", c.weight());
        }
        ArrayNode attempts = root.putArray("attempts");
        hosts.attempts().forEach(attempts::add);
        root.putNull("error");
        out.println(Json.text(root));
        out.flush();
        return hosts.isEmpty() ? Kmsj.FAILED : Kmsj.OK;
      }
      if (hosts.isEmpty()) {
        out.println(
            "no KMS host published for "
                + hosts.query()
                + " ("
                + String.join("; ", hosts.attempts())
                + ")");
        return Kmsj.FAILED;
      }
      out.println(
          hosts.query()
              + ": "
              + hosts.candidates().size()
              + " record(s), in the order a client tries them");
      int i = 1;
      for (HostCandidate c : hosts.candidates()) {
        out.printf(
            "%d. %s:%d  priority %d  weight %d%n",
            i++, c.host(), c.port(), c.priority(), c.weight());
      }
      out.flush();
      return Kmsj.OK;
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
