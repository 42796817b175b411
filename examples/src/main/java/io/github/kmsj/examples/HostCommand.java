package io.github.kmsj.examples;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.transport.AddressFilter;
import io.github.kmsj.core.transport.KmsServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code kmsj host}: runs a KMS host on TCP 1688 (or where told) until stopped. On SIGTERM or
 * Ctrl-C it stops accepting, lets requests in flight finish for at most {@code --drain-timeout},
 * closes the store and exits with status 0.
 */
@Command(
    name = "host",
    description = {
      "Run a KMS host (kmsj-host) until SIGTERM or Ctrl-C, which drain it and exit 0.",
      "Options may also come from --config FILE: one 'name = value' per line, names as the long"
          + " options without '--' (flags take true or false, repeatable options a comma list);"
          + " the command line overrides it. The host saves its settings and run-time changes in"
          + " DATA-DIR/kmsj-host.conf in the same format; the command line overrides that file,"
          + " which overrides --config FILE."
    })
final class HostCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "read options from FILE (name = value lines); flags override it")
  Path config;

  @Option(
      names = "--listen",
      split = ",",
      paramLabel = "ADDR[:PORT]",
      description =
          "listen address, repeatable (default [::]:1688, IPv4 when IPv6 is off); IPv6 as"
              + " [::1]:1688")
  List<String> listen = new ArrayList<>();

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "port for the default listen address (default 1688)")
  int port = KmsServer.DEFAULT_PORT;

  @Option(
      names = "--groups",
      split = ",",
      paramLabel = "G1,G2",
      description =
          "host-key groups (default windows-server-2025 and every Office group; kmsj groups lists"
              + " them)")
  List<String> groups = new ArrayList<>();

  @Option(names = "--strict", description = "refuse doubtful (synthetic) KMS counted IDs")
  boolean strict;

  @Option(
      names = "--activation-interval",
      paramLabel = "MIN",
      description = "minutes, 15-43200 (default 120)")
  long activationInterval = 120;

  @Option(
      names = "--renewal-interval",
      paramLabel = "MIN",
      description = "minutes, 15-43200 (default 10080, 7 days)")
  long renewalInterval = 10080;

  @Option(
      names = "--no-clock-check",
      description = "accept clients whose clock is more than 4 h off")
  boolean noClockCheck;

  @Option(
      names = "--allow",
      split = ",",
      paramLabel = "CIDR,...",
      description = "source addresses to serve (default loopback, RFC 1918, link-local, ULA)")
  List<String> allow = new ArrayList<>();

  @Option(names = "--allow-any", description = "serve any source address")
  boolean allowAny;

  @Option(
      names = "--idle-timeout",
      paramLabel = "S",
      description = "seconds a silent connection stays open (default 30)")
  double idleTimeout = 30;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description = "simultaneous connections (default 16384)")
  int maxConnections = 16_384;

  @Option(
      names = "--drain-timeout",
      paramLabel = "S",
      description =
          "seconds SIGTERM waits for requests in flight before the host closes (default 5)")
  double drainTimeout = 5;

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description = "extend the built-in product catalog with this JSON file")
  Path catalog;

  @Option(
      names = "--replace-catalog",
      description = "use --catalog FILE instead of the built-in catalog, not on top of it")
  boolean replaceCatalog;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "where the host keeps its count, clients and identity (default ./kmsj-data)")
  Path dataDir;

  @Option(
      names = "--durability",
      paramLabel = "MODE",
      description = {
        "power-loss (default: each answer waits for the fsync covering it, shared by concurrent"
            + " requests) or process-crash (answers once written to the OS, fsync every 100 ms:"
            + " a power loss can lose the last 100 ms)"
      })
  String durability;

  @Option(
      names = "--group-wait",
      paramLabel = "MICROSECONDS",
      description = {
        "with power-loss durability, how long the store may wait to gather more answers into one"
            + " fsync once requests arrive together (0 to 10000, 0: fsync at once; default 100);"
            + " trades latency for fewer fsyncs (docs/ADMINISTRATION.md)"
      })
  Integer groupWaitMicros;

  @Option(names = "--no-store", description = "keep everything in memory only")
  boolean noStore;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description = {
        "share the count with the other hosts of a cluster in PostgreSQL"
            + " (jdbc:postgresql://HOST[:PORT]/DB); --data-dir then holds the local log that"
            + " keeps the host answering through a database outage (docs/POSTGRESQL.md)"
      })
  String store;

  @Option(
      names = "--store-credentials",
      paramLabel = "FILE",
      description =
          "the database user and password: lines user=NAME and password=SECRET, owner-only")
  Path storeCredentials;

  @Option(
      names = "--host-id",
      paramLabel = "NAME",
      description = "this host's name in the --store database (default: the machine's host name)")
  String hostId;

  @Option(
      names = "--dns-host",
      paramLabel = "FQDN",
      description =
          "publish this host as _vlmcs._tcp.<domain> SRV -> FQDN:port by RFC 2136 now and every"
              + " 24 h, as a genuine host does (with the --dns-* options below)")
  String dnsHost;

  @Option(names = "--dns-server", paramLabel = "HOST:PORT", description = "DNS server to update")
  String dnsServer;

  @Option(
      names = "--dns-domain",
      paramLabel = "DOMAIN",
      description = "home domain (default: FQDN without its first label)")
  String dnsDomain;

  @Option(names = "--dns-priority", paramLabel = "P", description = "SRV priority (default 0)")
  int dnsPriority;

  @Option(names = "--dns-weight", paramLabel = "W", description = "SRV weight (default 0)")
  int dnsWeight;

  @Option(names = "--dns-ttl", paramLabel = "S", description = "record TTL, seconds (default 3600)")
  Double dnsTtl;

  @Option(
      names = "--dns-extra",
      split = ",",
      paramLabel = "DOMAIN:PRIORITY:WEIGHT",
      description = "also publish in this domain, repeatable")
  List<String> dnsExtra = new ArrayList<>();

  @Option(
      names = "--dns-publish",
      arity = "1",
      paramLabel = "true|false",
      description =
          "keep the SRV records published (true, default) or removed (false: slmgr /cdns; kept"
              + " in the saved configuration so a removal sticks across restarts)")
  boolean dnsPublish = true;

  @Option(
      names = "--low-priority",
      description =
          "run in low priority (slmgr /cpri): lower thread priority where the OS honours it and a"
              + " connection cap of 256; see docs/ADMINISTRATION.md")
  boolean lowPriority;

  @Option(names = "--dns-tsig-name", paramLabel = "NAME", description = "TSIG key name")
  String dnsTsigName;

  @Option(
      names = "--dns-tsig-secret-file",
      paramLabel = "FILE",
      description = "file holding the TSIG secret (base64, hmac-sha256)")
  Path dnsTsigSecretFile;

  @Option(
      names = "--admin",
      paramLabel = "ADDR:PORT",
      description =
          "serve the HTTP admin endpoint here: JSON API, /metrics, /healthz and the status page"
              + " (a bare PORT or :PORT is loopback; docs/ADMIN-HTTP.md)")
  String admin;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "the admin endpoint's bearer token; created owner-only with a random token when missing"
              + " (default DATA-DIR/admin.token)")
  Path adminTokenFile;

  @Option(
      names = "--json-log",
      paramLabel = "FILE",
      description =
          "also write one JSON line per request to FILE (rotated at 10 MB, 5 files; - = stdout)")
  String jsonLog;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "trace, debug, info, warn or error (default info)")
  String logLevel = "info";

  /** Parses, starts the host and blocks until the JVM is told to stop. */
  @Override
  public Integer call() throws InterruptedException {
    Duration drain = drain();
    Logging.level(logLevel); // before the first logger exists
    HostRuntime runtime = build().start();
    // With the JSON log on stdout, stdout carries JSON lines only: the banner goes to stderr.
    PrintWriter out =
        "-".equals(jsonLog) ? spec.commandLine().getErr() : spec.commandLine().getOut();
    List<String> addresses =
        runtime.server().localAddresses().stream().map(HostAddresses::format).toList();
    out.println(
        "kmsj host listening on "
            + String.join(", ", addresses)
            + (store == null
                ? runtime.dataDir().map(d -> ", data in " + d).orElse(", no store")
                : ", cluster state in "
                    + ClusterStore.display(store)
                    + runtime.dataDir().map(d -> ", local log in " + d).orElse(""))
            + "; SIGTERM or Ctrl-C stops it");
    out.flush();
    Runtime.getRuntime()
        .addShutdownHook(
            DaemonThreadFactory.named("kmsj-host-shutdown")
                .newThread(() -> stopAndHalt(runtime, drain, spec.commandLine().getErr())));
    new java.util.concurrent.CountDownLatch(1).await(); // the shutdown hook ends the process
    return Kmsj.OK;
  }

  /**
   * Runs in the shutdown hook: drains and closes the host, then halts with 0 (1 if closing failed).
   * A JVM that a signal stopped would otherwise exit with 128 + the signal's number (143).
   */
  private static void stopAndHalt(HostRuntime runtime, Duration drain, PrintWriter err) {
    int status = Kmsj.OK;
    try {
      runtime.close(drain);
    } catch (RuntimeException e) {
      err.println("kmsj host: stopping failed: " + Kmsj.describe(e));
      status = Kmsj.FAILED;
    }
    err.flush();
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }

  Duration drain() {
    if (!(drainTimeout >= 0 && drainTimeout <= 3600)) {
      throw new UsageException(
          "--drain-timeout must be 0-3600 seconds: " + Options.number(drainTimeout));
    }
    return Duration.ofMillis((long) (drainTimeout * 1000));
  }

  /** {@code kmsj host ARGS} parsed as {@code kmsj} parses it, with {@code --config}. */
  static HostCommand parse(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "host";
    System.arraycopy(args, 0, full, 1, args.length);
    CommandLine root = new CommandLine(new Kmsj());
    applyConfig(root, full);
    return (HostCommand) root.parseArgs(full).subcommand().commandSpec().userObject();
  }

  /** {@code kmsj host ARGS} built, not started: for tests. */
  static HostRuntime build(String... args) {
    return parse(args).build();
  }

  /**
   * The host, its server, store and listeners as the options describe, not yet started. Every
   * option is checked before the store opens its directory, and a store opened for a host that
   * fails to build is closed again.
   */
  HostRuntime build() {
    Options.range("--port", port, 0, 65535);
    Logging.check(logLevel);
    drain();
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String l : listen) {
      addresses.add(HostAddresses.parse(l.trim(), port));
    }
    if (addresses.isEmpty()) {
      addresses.add(HostAddresses.parse("[::]", port));
    }
    Duration idle = Options.seconds("--idle-timeout", idleTimeout);
    int connections = Options.range("--max-connections", maxConnections, 1, 1_000_000);
    AddressFilter filter = null;
    if (allowAny) {
      filter = AddressFilter.any();
    } else if (!allow.isEmpty()) {
      try {
        filter = AddressFilter.of(allow.stream().map(String::trim).toList());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    KmsHost.Builder host = KmsHost.builder();
    if (catalog != null) {
      host.catalog(
          replaceCatalog ? ProductCatalog.load(catalog) : ProductCatalog.builtIn().extend(catalog));
    } else if (replaceCatalog) {
      throw new UsageException("--replace-catalog needs --catalog FILE");
    }
    if (!groups.isEmpty()) {
      host.hostKeyGroups(groups.stream().map(String::trim).filter(g -> !g.isEmpty()).toList());
    }
    host.strictCoverage(strict);
    host.activationInterval(Options.minutes(activationInterval));
    host.renewalInterval(Options.minutes(renewalInterval));
    if (noClockCheck) {
      host.disableClockCheck();
    }
    HostRuntime.Extras extras = HostRuntime.configure(this, host);
    KmsHost kmsHost;
    try {
      kmsHost = host.build();
    } catch (RuntimeException e) {
      extras.close();
      if (e instanceof IllegalArgumentException) {
        throw new UsageException(e.getMessage());
      }
      throw e;
    }
    KmsServer.Builder server =
        KmsServer.builder(kmsHost.rpcHandler())
            .listen(addresses)
            .idleTimeout(idle)
            .maxConnections(connections);
    if (filter != null) {
      server.allow(filter);
    }
    return new HostRuntime(server.build(), kmsHost, extras);
  }

  PublishOptions publishOptions() {
    return new PublishOptions(
        "dns-",
        Optional.ofNullable(dnsHost),
        Optional.ofNullable(dnsServer),
        Optional.ofNullable(dnsDomain),
        dnsPriority,
        dnsWeight,
        Optional.ofNullable(dnsTtl),
        dnsExtra,
        Optional.ofNullable(dnsTsigName),
        Optional.ofNullable(dnsTsigSecretFile));
  }

  /**
   * Before parsing: when {@code args} run {@code host --config FILE}, reads FILE as the host
   * command's defaults.
   */
  static void applyConfig(CommandLine root, String[] args) {
    if (args.length == 0 || !args[0].equals("host")) {
      return;
    }
    Path file = argument(args, "--config").map(Path::of).orElse(null);
    CommandLine host = root.getSubcommands().get("host");
    Set<String> names = new HashSet<>();
    Set<String> flags = new HashSet<>();
    for (OptionSpec o : host.getCommandSpec().options()) {
      String name = o.longestName().replaceFirst("^--", "");
      if (o.usageHelp() || o.versionHelp() || name.equals("config")) {
        continue;
      }
      names.add(name);
      if (o.arity().max() == 0) {
        flags.add(name);
      }
    }
    ConfigFile given =
        file == null
            ? null
            : ConfigFile.read(file, names, flags)
                .check(HostCommand::checkValue, onCommandLine(args));
    boolean noStore =
        hasFlag(args, "--no-store")
            || (given != null && "true".equals(given.value("no-store").orElse(null)));
    Optional<Path> dataDir =
        argument(args, "--data-dir")
            .or(() -> given == null ? Optional.empty() : given.value("data-dir"))
            .map(Path::of)
            .or(() -> noStore ? Optional.empty() : Optional.of(Path.of("kmsj-data")));
    ConfigFile saved = null;
    if (dataDir.isPresent() && Files.exists(dataDir.get().resolve(SavedConfig.FILE_NAME))) {
      saved =
          ConfigFile.read(dataDir.get().resolve(SavedConfig.FILE_NAME), names, flags)
              .check(HostCommand::checkValue, onCommandLine(args));
    }
    // The command line, then the saved file, then --config FILE (docs/ADMINISTRATION.md).
    ConfigFile first = saved;
    ConfigFile second = given;
    if (first != null || second != null) {
      host.setDefaultValueProvider(
          arg -> {
            String v = first == null ? null : first.defaultValue(arg);
            return v != null || second == null ? v : second.defaultValue(arg);
          });
    }
  }

  /**
   * Checks one file value as the command line would take it: its type, and the range of the
   * settings a host changes at run time.
   *
   * @throws RuntimeException naming what is wrong
   */
  static void checkValue(String name, String value) {
    HostCommand h = new HostCommand();
    CommandLine c = new CommandLine(h);
    CommandLine.Model.OptionSpec o = c.getCommandSpec().findOption(name);
    if (o != null && o.arity().max() == 0) {
      return; // flags: ConfigFile checked true/false
    }
    try {
      c.parseArgs("--" + name, value);
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(e.getMessage());
    }
    switch (name) {
      case "port" -> Options.range("--port", h.port, 0, 65535);
      case "activation-interval" -> intervalRange("--activation-interval", h.activationInterval);
      case "renewal-interval" -> intervalRange("--renewal-interval", h.renewalInterval);
      case "dns-priority" -> Options.range("--dns-priority", h.dnsPriority, 0, 65535);
      case "dns-weight" -> Options.range("--dns-weight", h.dnsWeight, 0, 65535);
      default -> {}
    }
  }

  private static void intervalRange(String option, long minutes) {
    if (minutes < 15 || minutes > 43_200) {
      throw new UsageException(option + " must be 15-43200 minutes: " + minutes);
    }
  }

  /** The value of {@code --name VALUE} or {@code --name=VALUE} in {@code host} arguments. */
  private static Optional<String> argument(String[] args, String name) {
    String found = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals(name) && i + 1 < args.length) {
        found = args[i + 1];
      } else if (args[i].startsWith(name + "=")) {
        found = args[i].substring(name.length() + 1);
      }
    }
    return Optional.ofNullable(found);
  }

  /** The long option names (without {@code --}) given in {@code host} arguments. */
  private static Set<String> onCommandLine(String[] args) {
    Set<String> given = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].startsWith("--")) {
        String name = args[i].substring(2);
        int eq = name.indexOf('=');
        given.add(eq < 0 ? name : name.substring(0, eq));
      }
    }
    return given;
  }

  private static boolean hasFlag(String[] args, String name) {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals(name) || args[i].equals(name + "=true")) {
        return true;
      }
    }
    return false;
  }
}
