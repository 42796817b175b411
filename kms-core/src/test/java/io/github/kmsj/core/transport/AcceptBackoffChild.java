package io.github.kmsj.core.transport;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.ManualScheduler;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A server on a {@link ManualScheduler} in a child JVM with few file descriptors, for {@link
 * AcceptBackoffTest}: prints {@code PORT n}, then obeys {@code advance MILLIS} lines on stdin,
 * answering {@code OK} after each.
 */
final class AcceptBackoffChild {
  private AcceptBackoffChild() {}

  public static void main(String[] args) throws Exception {
    ManualScheduler time = new ManualScheduler(Instant.parse("2025-06-01T00:00:00Z"));
    KmsServer server =
        KmsServer.builder(KmsHost.builder().build().rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .eventLoops(1)
            .time(time)
            .build()
            .start();
    // The server caps connections below the descriptor limit; something else in the process (here
    // /dev/null opened 300 times) eating that reserve is what makes accept itself fail.
    List<FileInputStream> neighbours = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      neighbours.add(new FileInputStream("/dev/null"));
    }
    System.out.println("PORT " + server.port());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("advance ")) {
        time.advance(Duration.ofMillis(Long.parseLong(line.substring(8))));
        System.out.println("OK");
        System.out.flush();
      }
    }
    server.stop(Duration.ofSeconds(1));
    for (FileInputStream f : neighbours) {
      f.close();
    }
  }
}
