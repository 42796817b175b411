package io.github.kmsj.core.transport;

import io.github.kmsj.core.host.KmsHost;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Child-JVM program for {@link Ipv4FallbackTest}: starts a server on the IPv6 wildcard in a JVM run
 * with {@code -Djava.net.preferIPv4Stack=true}, which behaves like a kernel without IPv6; prints
 * "BOUND address" and serves until its standard input closes.
 */
public final class Ipv4OnlyServerMain {
  private Ipv4OnlyServerMain() {}

  public static void main(String[] args) throws Exception {
    KmsServer server =
        KmsServer.builder(KmsHost.builder().build().rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getByName("::"), 0))
            .daemon(true)
            .build()
            .start();
    System.out.println("BOUND " + server.localAddresses().get(0));
    System.out.flush();
    while (System.in.read() >= 0) {
      // serve until the parent closes our standard input
    }
    server.stop(Duration.ofSeconds(2));
  }
}
