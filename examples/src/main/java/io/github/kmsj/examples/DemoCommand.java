package io.github.kmsj.examples;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.Guid;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code kmsj demo}: a host on loopback and a probe against it, with nothing to configure. Distinct
 * clients of a product raise the host's count until it reaches the product's N policy and a client
 * activates; a known client renewing does not raise it; an uncovered product is refused.
 */
@Command(
    name = "demo",
    description = {
      "Start a KMS host on 127.0.0.1 (port 0 = any free port, the default) and activate clients of"
          + " Windows 10/11 (N = 25) and Office LTSC 2021 (N = 5) against it until each reaches its"
          + " threshold."
    })
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "the host's port (default 0)")
  int port;

  @Option(names = "--quiet", description = "print only the clients that activate")
  boolean quiet;

  @Override
  public Integer call() {
    Logging.level("warn");
    PrintWriter out = spec.commandLine().getOut();
    KmsHost host = KmsHost.builder().build();
    InetSocketAddress listen =
        new InetSocketAddress(
            InetAddress.getLoopbackAddress(), Options.range("--port", port, 0, 65535));
    try (KmsServer server = KmsServer.builder(host.rpcHandler()).listen(listen).build().start()) {
      Target target = Target.of("127.0.0.1", server.port());
      out.println(
          "kmsj host on 127.0.0.1:"
              + server.port()
              + " with host-key groups "
              + String.join(", ", host.coverage().groups().stream().map(g -> g.id()).toList()));
      KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(5)).build();
      ProductCatalog catalog = host.catalog();
      int failures = 0;
      failures +=
          activateUntilThreshold(
              out, quiet, client, target, catalog, "58e2134f-8e11-4d17-9cb2-91069c151148", 1);
      failures +=
          activateUntilThreshold(
              out, quiet, client, target, catalog, "86d50b16-4808-41af-b83b-b338274318b2", 2);
      out.println();
      out.println("== the first Windows client renews: the count does not grow");
      ActivationResult renewal =
          client.activate(target, request(catalog, "58e2134f-8e11-4d17-9cb2-91069c151148", 1, 1));
      out.println("renewal: " + ResultFormat.summary(renewal));
      out.println();
      out.println("== a retail Windows product: no volume host key covers it");
      ActivationResult refused =
          client.activate(target, request(catalog, "e1c51358-fe3e-4203-a4a2-3b6b20c9734e", 3, 1));
      out.println("retail: " + ResultFormat.summary(refused));
      if (!(refused instanceof ActivationResult.Refused) || !renewal.isActivated()) {
        failures++;
      }
      out.println();
      out.println(
          failures == 0
              ? "demo finished: every step behaved as Microsoft documents"
              : "demo finished with " + failures + " unexpected results");
      out.flush();
      return failures == 0 ? Kmsj.OK : Kmsj.FAILED;
    }
  }

  private static int activateUntilThreshold(
      PrintWriter out,
      boolean quiet,
      KmsClient client,
      Target target,
      ProductCatalog catalog,
      String kmsId,
      int series) {
    KmsCountedProduct product = catalog.kmsCountedId(Guid.parse(kmsId)).orElseThrow();
    out.println();
    out.println(
        "== "
            + product.name()
            + ": N policy "
            + product.requiredClientCount()
            + ", protocol V"
            + product.protocolMajorVersion()
            + "; each client has its own CMID");
    for (int i = 1; i <= product.requiredClientCount(); i++) {
      ActivationResult r = client.activate(target, request(catalog, kmsId, series, i));
      boolean last = i == product.requiredClientCount();
      if (!quiet || last || r.isActivated()) {
        out.println("client " + i + ": " + ResultFormat.summary(r));
      }
      if (r.isActivated() != last) {
        out.println("unexpected: client " + i + " should " + (last ? "" : "not ") + "activate");
        return 1;
      }
    }
    return 0;
  }

  private static ActivationRequest request(
      ProductCatalog catalog, String kmsId, int series, int i) {
    KmsCountedProduct product = catalog.kmsCountedId(Guid.parse(kmsId)).orElseThrow();
    return ActivationRequest.forProduct(catalog, product)
        .cmid(
            Guid.of(
                new UUID(0x6b6d736a_0000_4000L | (long) series << 16, 0x8000_0000_0000_0000L | i)))
        .workstationName("demo-client-" + series + "-" + i + ".example.test")
        .build();
  }
}
