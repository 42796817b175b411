package io.github.kmsj.examples;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.transport.AddressFilter;
import io.github.kmsj.core.transport.KmsServer;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code kmsj-host}: runs a KMS host on TCP 1688 (or where told) until interrupted. */
final class HostCommand {
  static final String USAGE =
      """
      usage: kmsj-host [options]
        --listen ADDR[:PORT]     listen address, repeatable (default [::]:1688, IPv4 when IPv6 is off)
        --port N                 port for the default listen address (default 1688)
        --groups G1,G2           host-key groups (default windows-server-2025 and every Office group)
        --strict                 refuse doubtful (synthetic) KMS counted IDs
        --activation-interval M  minutes, 15-43200 (default 120)
        --renewal-interval M     minutes, 15-43200 (default 10080)
        --no-clock-check         accept clients whose clock is more than 4 h off
        --allow CIDR,...         source addresses to serve (default loopback, RFC 1918, link-local, ULA)
        --allow-any              serve any source address
        --idle-timeout S         seconds a silent connection stays open (default 30)
        --max-connections N      simultaneous connections (default 16384)
        --catalog FILE           extend the built-in product catalog with this JSON file
        --replace-catalog        use --catalog FILE instead of the built-in catalog, not on top of it
        --data-dir DIR           where the host keeps its count, clients and identity (default ./kmsj-data)
        --durability MODE        power-loss (default: each answer waits for the fsync covering it, shared by
                                 concurrent requests) or process-crash (answers once written to the OS,
                                 fsync every 100 ms: a power loss can lose the last 100 ms)
        --no-store               keep everything in memory only
        --dns-host FQDN          publish this host as _vlmcs._tcp.<domain> SRV -> FQDN:port by RFC 2136 now and
                                 every 24 h, as a genuine host does (with --dns-server, --dns-domain (default:
                                 FQDN without its first label), --dns-priority, --dns-weight,
                                 --dns-extra DOMAIN:PRIORITY:WEIGHT, --dns-tsig-name, --dns-tsig-secret-file)
        --json-log FILE          also write one JSON line per request to FILE (rotated at 10 MB, 5 files; - = stdout)
        --log-level LEVEL        trace, debug, info, warn or error (default info)
        --help                   this text
      """;

  private HostCommand() {}

  /** Parses, starts the host and blocks until the JVM is told to stop. */
  static int run(String[] argv, PrintStream out) throws InterruptedException {
    Args a =
        Args.parse(
            argv,
            Set.of(
                "listen",
                "port",
                "groups",
                "activation-interval",
                "renewal-interval",
                "allow",
                "idle-timeout",
                "max-connections",
                "catalog",
                "log-level",
                "data-dir",
                "durability",
                "json-log",
                "dns-host",
                "dns-server",
                "dns-domain",
                "dns-priority",
                "dns-weight",
                "dns-ttl",
                "dns-extra",
                "dns-tsig-name",
                "dns-tsig-secret-file"),
            Set.of("strict", "no-clock-check", "allow-any", "no-store", "replace-catalog", "help"),
            Map.of("-h", "--help"));
    if (a.flag("help")) {
      out.print(USAGE);
      return 0;
    }
    if (!a.positional().isEmpty()) {
      throw new Args.UsageException(
          "unexpected argument " + a.positional().get(0) + " (see --help)");
    }
    Logging.level(a.string("log-level", "info"));
    HostRuntime runtime = build(a).start();
    out.println(
        "kmsj host listening on "
            + runtime.server().localAddresses()
            + runtime.dataDir().map(d -> ", data in " + d).orElse(", no store")
            + "; Ctrl-C stops it");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            DaemonThreadFactory.named("kmsj-host-shutdown")
                .newThread(
                    () -> {
                      runtime.close();
                      stopped.countDown();
                    }));
    stopped.await();
    return 0;
  }

  /** The host, its server, store and listeners as the options describe, not yet started. */
  static HostRuntime build(Args a) {
    KmsHost.Builder host = KmsHost.builder();
    if (a.has("catalog")) {
      ProductCatalog file = ProductCatalog.load(Path.of(a.string("catalog", null)));
      host.catalog(a.flag("replace-catalog") ? file : ProductCatalog.builtIn().merge(file));
    } else if (a.flag("replace-catalog")) {
      throw new Args.UsageException("--replace-catalog needs --catalog FILE");
    }
    if (a.has("groups")) {
      host.hostKeyGroups(Args.csv(a.all("groups")));
    }
    host.strictCoverage(a.flag("strict"));
    host.activationInterval(a.minutes("activation-interval", Duration.ofMinutes(120)));
    host.renewalInterval(a.minutes("renewal-interval", Duration.ofMinutes(10080)));
    if (a.flag("no-clock-check")) {
      host.disableClockCheck();
    }
    HostRuntime.Extras extras = HostRuntime.configure(a, host);
    KmsHost kmsHost;
    try {
      kmsHost = host.build();
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
    int port = a.integer("port", KmsServer.DEFAULT_PORT, 0, 65535);
    List<InetSocketAddress> listen = new ArrayList<>();
    for (String l : a.all("listen")) {
      listen.add(HostAddresses.parse(l, port));
    }
    if (listen.isEmpty()) {
      listen.add(HostAddresses.parse("[::]", port));
    }
    KmsServer.Builder server =
        KmsServer.builder(kmsHost.rpcHandler())
            .listen(listen)
            .idleTimeout(a.seconds("idle-timeout", Duration.ofSeconds(30)))
            .maxConnections(a.integer("max-connections", 16_384, 1, 1_000_000));
    if (a.flag("allow-any")) {
      server.allow(AddressFilter.any());
    } else if (a.has("allow")) {
      try {
        server.allow(AddressFilter.of(Args.csv(a.all("allow"))));
      } catch (IllegalArgumentException e) {
        throw new Args.UsageException(e.getMessage());
      }
    }
    return new HostRuntime(server.build(), kmsHost, extras);
  }
}
