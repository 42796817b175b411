package io.github.kmsj.examples;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.ConnectionMode;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.KmsHostLocator;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.dns.SrvLocator;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** {@code kmsj-probe}: sends activation requests to a KMS host and prints each decoded answer. */
final class ProbeCommand {
  static final String USAGE =
      """
      usage: kmsj-probe [options] HOST[:PORT] | .DOMAIN
        HOST[:PORT]            the KMS host (default port 1688)
        .DOMAIN, --discover D  find the host through _vlmcs._tcp.D SRV records
        --product NAME|GUID    product by catalog name ("Windows 10", "Office LTSC 2021") or KMS counted ID
                               (default: Windows 10/11 Professional)
        --app GUID --sku GUID --kms-id GUID   set the IDs directly
        -4 | -5 | -6           protocol version (default: the product's)
        --cmid GUID            client machine ID (default: random)
        --random-cmid          a new random CMID for every request
        --workstation NAME     workstation name (default kmsj-probe.example.test)
        --policy N             N policy (default: the product's)
        --status N             license status 0-6 (default 2, OOB grace)
        --requests N           number of requests (default 1)
        --new-connection       a new TCP connection per request (default: one association)
        --no-ndr64 --no-btfn   offer less in the RPC bind
        --dns-server HOST:PORT the DNS server for discovery (default: the system's)
        --timeout S            seconds per stage (default 5)
        --verbose              print the decoded ePID and intervals
      exit status: 0 every request answered, 3 refused, 4 no host found, 5 transport or validation failure
      """;

  private ProbeCommand() {}

  static int run(String[] argv, PrintStream out) {
    Args a =
        Args.parse(
            argv,
            Set.of(
                "discover",
                "product",
                "app",
                "sku",
                "kms-id",
                "cmid",
                "workstation",
                "policy",
                "status",
                "requests",
                "timeout",
                "version",
                "dns-server"),
            Set.of("random-cmid", "new-connection", "no-ndr64", "no-btfn", "verbose", "help"),
            Map.of(
                "-4",
                "--version=4",
                "-5",
                "--version=5",
                "-6",
                "--version=6",
                "-h",
                "--help",
                "-v",
                "--verbose"));
    if (a.flag("help")) {
      out.print(USAGE);
      return 0;
    }
    Logging.level("warn");
    Target target = target(a);
    ProductCatalog catalog = ProductCatalog.builtIn();
    ActivationRequest.Builder request = request(a, catalog);
    int requests = a.integer("requests", 1, 1, 1_000_000);
    Duration timeout = a.seconds("timeout", Duration.ofSeconds(5));
    KmsClient.Builder client =
        KmsClient.builder()
            .timeouts(timeout)
            .rpcOptions(new ClientRpcOptions(!a.flag("no-ndr64"), !a.flag("no-btfn"), true))
            .connectionMode(
                a.flag("new-connection")
                    ? ConnectionMode.CONNECTION_PER_REQUEST
                    : ConnectionMode.REUSE_ASSOCIATION);
    if (target instanceof Target.Discover) {
      SrvLocator.Builder dns = SrvLocator.builder();
      if (a.has("dns-server")) {
        dns.server(HostAddresses.parse(a.string("dns-server", null), 53), timeout);
      }
      KmsHostLocator locator = dns.build();
      client.locator(locator);
    }
    KmsClient kms = client.build();
    SecureRandom random = new SecureRandom();
    int status = 0;
    for (int i = 1; i <= requests; i++) {
      if (a.flag("random-cmid") || (!a.has("cmid") && i == 1)) {
        request.randomCmid(random);
      }
      ActivationResult result = kms.activate(target, request.build());
      out.println("#" + i + " " + ResultFormat.summary(result));
      if (a.flag("verbose") && !ResultFormat.details(result).isEmpty()) {
        out.println(ResultFormat.details(result));
      }
      status = Math.max(status, exitStatus(result));
    }
    return status;
  }

  static int exitStatus(ActivationResult result) {
    if (result instanceof ActivationResult.Activated
        || result instanceof ActivationResult.BelowThreshold) {
      return 0;
    }
    if (result instanceof ActivationResult.Refused) {
      return 3;
    }
    return result instanceof ActivationResult.NoHostFound ? 4 : 5;
  }

  private static Target target(Args a) {
    if (a.has("discover")) {
      if (!a.positional().isEmpty()) {
        throw new Args.UsageException("give either HOST[:PORT] or --discover DOMAIN, not both");
      }
      return Target.discover(a.string("discover", null));
    }
    if (a.positional().size() != 1) {
      throw new Args.UsageException("give one HOST[:PORT] or .DOMAIN (see --help)");
    }
    String t = a.positional().get(0);
    if (t.startsWith(".")) {
      return Target.discover(t.substring(1));
    }
    java.net.InetSocketAddress address = HostAddresses.parse(t, 1688);
    return Target.of(address);
  }

  private static ActivationRequest.Builder request(Args a, ProductCatalog catalog) {
    ActivationRequest.Builder b;
    String product =
        a.string("product", a.has("kms-id") ? null : "58e2134f-8e11-4d17-9cb2-91069c151148");
    if (product != null) {
      KmsCountedProduct p =
          product.length() == 36 && product.charAt(8) == '-'
              ? catalog
                  .kmsCountedId(guid(product, "--product"))
                  .orElseThrow(
                      () ->
                          new Args.UsageException(
                              "no product with KMS counted ID " + product + " in the catalog"))
              : catalog
                  .findProductByName(product)
                  .orElseThrow(
                      () ->
                          new Args.UsageException(
                              "no single catalog product matches '" + product + "'"));
      b = ActivationRequest.forProduct(catalog, p);
    } else {
      b = ActivationRequest.builder().kmsCountedId(guid(a.string("kms-id", null), "--kms-id"));
    }
    if (a.has("app")) {
      b.applicationId(guid(a.string("app", null), "--app"));
    }
    if (a.has("sku")) {
      b.skuId(guid(a.string("sku", null), "--sku"));
    }
    if (a.has("kms-id")) {
      b.kmsCountedId(guid(a.string("kms-id", null), "--kms-id"));
    }
    if (a.has("version")) {
      b.version(a.integer("version", 6, 4, 6));
    }
    if (a.has("cmid")) {
      b.cmid(guid(a.string("cmid", null), "--cmid"));
    }
    if (a.has("policy")) {
      b.requiredClientCount(a.integer("policy", 25, 0, Integer.MAX_VALUE));
    }
    b.licenseStatus(LicenseStatus.of(a.integer("status", 2, 0, 6)));
    String ws = a.string("workstation", "kmsj-probe.example.test");
    if (ws.length() > 63) {
      throw new Args.UsageException("--workstation must be at most 63 characters");
    }
    b.workstationName(ws);
    return b;
  }

  private static Guid guid(String text, String option) {
    try {
      return Guid.parse(text);
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(
          option + " needs a GUID like 55c92734-d682-4d71-983e-d6ec3f16059f: " + text);
    }
  }
}
