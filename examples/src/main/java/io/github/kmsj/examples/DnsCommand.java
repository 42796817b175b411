package io.github.kmsj.examples;

import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.LocatedHosts;
import io.github.kmsj.core.client.LocatorException;
import io.github.kmsj.dns.PublishEvent;
import io.github.kmsj.dns.SrvLocator;
import io.github.kmsj.dns.SrvPublisher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kmsj-dns}: lists a domain's {@code _vlmcs._tcp} SRV records in client order, publishes or
 * removes one.
 */
final class DnsCommand {
  static final String USAGE =
      """
      usage: kmsj-dns list DOMAIN [--server HOST:PORT]
             kmsj-dns publish --host FQDN [--port 1688] [--domain D] [--priority P] [--weight W]
                              [--extra DOMAIN:PRIORITY:WEIGHT]... [--ttl S] --server HOST:PORT
                              [--tsig-name NAME --tsig-secret-file FILE]
             kmsj-dns remove  --host FQDN [--domain D] [--extra DOMAIN:P:W]... --server HOST:PORT [--tsig-...]
        list     prints the records in the order a Windows client tries them (RFC 2782)
        publish  registers the host by RFC 2136 dynamic update, signed with TSIG (hmac-sha256) when a key is given,
                 in the home domain (default: the host name without its first label) and each --extra domain
        remove   deletes this host's records (Microsoft's slmgr /cdns)
        --server the DNS server to ask or update (default: the system's)
      exit status: 0 success, 1 a lookup or update failed, 2 bad arguments
      """;

  private DnsCommand() {}

  static int run(String[] argv, PrintStream out) {
    Args a =
        Args.parse(
            argv,
            Set.of(
                "server",
                "host",
                "port",
                "domain",
                "priority",
                "weight",
                "extra",
                "ttl",
                "tsig-name",
                "tsig-secret-file",
                "timeout"),
            Set.of("help"),
            Map.of("-h", "--help"));
    if (a.flag("help") || a.positional().isEmpty()) {
      out.print(USAGE);
      return a.flag("help") ? 0 : 2;
    }
    Logging.level("warn");
    String verb = a.positional().get(0);
    Duration timeout = a.seconds("timeout", Duration.ofSeconds(5));
    switch (verb) {
      case "list":
        return list(a, out, timeout);
      case "publish":
      case "remove":
        return publish(a, out, timeout, verb.equals("publish"));
      default:
        throw new Args.UsageException("unknown verb '" + verb + "' (list, publish or remove)");
    }
  }

  private static int list(Args a, PrintStream out, Duration timeout) {
    if (a.positional().size() != 2) {
      throw new Args.UsageException("list needs one DOMAIN");
    }
    SrvLocator.Builder b = SrvLocator.builder();
    if (a.has("server")) {
      b.server(HostAddresses.parse(a.string("server", null), 53), timeout);
    }
    try {
      LocatedHosts hosts = b.build().locate(a.positional().get(1));
      if (hosts.isEmpty()) {
        out.println(
            "no KMS host published for "
                + hosts.query()
                + " ("
                + String.join("; ", hosts.attempts())
                + ")");
        return 1;
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
      return 0;
    } catch (LocatorException e) {
      out.println("lookup failed: " + e.getMessage());
      return 1;
    }
  }

  private static int publish(Args a, PrintStream out, Duration timeout, boolean publish) {
    if (!a.has("server")) {
      throw new Args.UsageException("--server HOST:PORT is required for updates");
    }
    SrvPublisher.Builder b = publisher(a, "", a.integer("port", 1688, 1, 65535), timeout);
    SrvPublisher publisher;
    try {
      publisher = b.build();
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
    try (publisher) {
      List<PublishEvent> events = publish ? publisher.publishNow() : publisher.removeNow();
      for (PublishEvent e : events) {
        out.println(describe(e));
      }
      return events.stream().allMatch(PublishEvent::isSuccess) ? 0 : 1;
    }
  }

  /**
   * A publisher from options named {@code prefix + "host"}, {@code "domain"}, {@code "server"},
   * {@code "priority"}, {@code "weight"}, {@code "ttl"}, {@code "extra"}, {@code "tsig-name"} and
   * {@code "tsig-secret-file"}: {@code kmsj dns publish} uses them bare, {@code kmsj host} with
   * "dns-".
   */
  static SrvPublisher.Builder publisher(Args a, String prefix, int port, Duration timeout) {
    if (!a.has(prefix + "host")) {
      throw new Args.UsageException("--" + prefix + "host FQDN is required");
    }
    SrvPublisher.Builder b =
        SrvPublisher.builder()
            .hostName(a.string(prefix + "host", null))
            .port(port)
            .priority(a.integer(prefix + "priority", 0, 0, 65535))
            .weight(a.integer(prefix + "weight", 0, 0, 65535))
            .ttl(a.seconds(prefix + "ttl", Duration.ofHours(1)))
            .timeout(timeout);
    if (a.has(prefix + "server")) {
      b.server(HostAddresses.parse(a.string(prefix + "server", null), 53));
    }
    if (a.has(prefix + "domain")) {
      b.homeDomain(a.string(prefix + "domain", null));
    }
    for (String extra : a.all(prefix + "extra")) {
      List<String> parts = Arrays.asList(extra.split(":"));
      if (parts.size() != 3) {
        throw new Args.UsageException("--" + prefix + "extra is DOMAIN:PRIORITY:WEIGHT: " + extra);
      }
      try {
        b.extraDomain(parts.get(0), Integer.parseInt(parts.get(1)), Integer.parseInt(parts.get(2)));
      } catch (NumberFormatException e) {
        throw new Args.UsageException(
            "--" + prefix + "extra priority and weight are numbers: " + extra);
      }
    }
    if (a.has(prefix + "tsig-name") != a.has(prefix + "tsig-secret-file")) {
      throw new Args.UsageException(
          "--" + prefix + "tsig-name and --" + prefix + "tsig-secret-file go together");
    }
    if (a.has(prefix + "tsig-name")) {
      b.tsigKey(
          a.string(prefix + "tsig-name", null),
          secret(Path.of(a.string(prefix + "tsig-secret-file", null))));
    }
    return b;
  }

  private static String secret(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new Args.UsageException(
          "cannot read the TSIG secret from " + file + ": " + e.getMessage());
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
