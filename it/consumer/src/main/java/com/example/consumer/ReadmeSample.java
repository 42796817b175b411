package com.example.consumer;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;

/** The README's "A host and a client in ten lines", on a free port instead of 1688. */
public final class ReadmeSample {
  private ReadmeSample() {}

  /** Runs the sample: one host, one activation request against it. */
  public static ActivationResult run() {
    // README sample begin (ReadmeSampleTest compares these lines with README.md; port 1688 -> 0)
    KmsHost host = KmsHost.builder()                         // Windows Server 2025 + every Office host-key group
        .renewalInterval(Duration.ofDays(7))
        .listener(event -> System.out.println(event.workstationName().orElse("?") + " -> " + event.hresult()))
        .build();
    try (KmsServer server = KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build().start()) {
      ProductCatalog catalog = host.catalog();
      ActivationRequest request = ActivationRequest
          .forProduct(catalog, catalog.findProductByName("Windows 10").orElseThrow())
          .randomCmid(new SecureRandom()).build();
      ActivationResult result = KmsClient.builder().build().activate(Target.of("127.0.0.1", server.port()), request);
      System.out.println(result);                            // BelowThreshold[currentClientCount=1, requiredClientCount=25, ...]
      return result;
    }
    // README sample end
  }

  /** Runs the sample from the command line. */
  public static void main(String[] args) {
    run();
  }
}
