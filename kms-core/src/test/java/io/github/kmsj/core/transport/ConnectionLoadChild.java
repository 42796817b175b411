package io.github.kmsj.core.transport;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.ManualScheduler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A default server on a {@link ManualScheduler} in a child JVM, for {@link ConnectionLoadTest}.
 * Prints {@code READY port cap softFdLimit hardFdLimit}, then answers stdin commands: {@code
 * advance MILLIS} ({@code OK}), {@code stats} (the {@link ServerStats} fields), {@code mem}
 * (collects garbage, then {@code MEM vmRssKb heapUsedBytes}) and {@code quit}. The argument is the
 * number of event loops.
 */
final class ConnectionLoadChild {
  private ConnectionLoadChild() {}

  public static void main(String[] args) throws Exception {
    ManualScheduler time = new ManualScheduler(Instant.parse("2025-06-01T00:00:00Z"));
    KmsServer server =
        KmsServer.builder(KmsHost.builder().build().rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .eventLoops(Integer.parseInt(args[0]))
            .time(time)
            .build()
            .start();
    String[] files = openFiles();
    System.out.println(
        "READY " + server.port() + " " + server.connectionCap() + " " + files[0] + " " + files[1]);
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      if (line.startsWith("advance ")) {
        time.advance(Duration.ofMillis(Long.parseLong(line.substring(8))));
        System.out.println("OK");
      } else if (line.equals("stats")) {
        ServerStats s = server.stats();
        System.out.println(
            "STATS "
                + s.openConnections()
                + " "
                + s.accepted()
                + " "
                + s.refusedByAddressLimit()
                + " "
                + s.evicted()
                + " "
                + s.bindTimeouts()
                + " "
                + s.slowPduTimeouts()
                + " "
                + s.idleClosed());
      } else if (line.equals("mem")) {
        for (int i = 0; i < 3; i++) {
          System.gc();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.println("MEM " + rssKb() + " " + heap.getUsed());
      }
      System.out.flush();
    }
    server.stop(Duration.ofSeconds(1));
  }

  private static long rssKb() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  /** The soft and hard "Max open files" of this process. */
  private static String[] openFiles() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (l.startsWith("Max open files")) {
        String[] f = l.substring("Max open files".length()).trim().split("\\s+");
        return new String[] {f[0], f[1]};
      }
    }
    throw new IllegalStateException("no open-files line in /proc/self/limits");
  }
}
