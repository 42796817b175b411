package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.PduCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connections cannot exhaust a default server (issue 10): with thousands of silent and stalled
 * connections held, a fresh V6 request is answered within 50 ms and each held connection costs at
 * most 5 kB; connections dribbling a byte now and then are closed by the PDU rule; one source
 * cannot hold more than its limit.
 *
 * <p>The server runs in a child JVM on a {@link ManualScheduler} (deadlines never fire on their
 * own, so the held connections stay held; the dribble test steps it) with {@code -Xms256m -Xmx256m
 * -XX:+AlwaysPreTouch}: the whole heap is resident from the start, so the growth of VmRSS is the
 * native memory and heap-after-GC growth the Java objects; their sum is the cost per connection. It
 * starts with {@code ulimit -Sn 4096} so the test also sees HotSpot raise the soft descriptor limit
 * to the hard one. Clients are non-blocking NIO channels on this one thread.
 */
final class ConnectionLoadTest {
  private static final int BYTES_PER_CONNECTION = 5 * 1024;
  private static final long LATENCY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  @Test
  void held2000Silent200Stalled_freshRequestAnsweredWithin50Ms_atMost5kBEach() throws Exception {
    heldConnections(2000, 200);
  }

  @Test
  void held9000Silent1000Stalled_freshRequestAnsweredWithin50Ms_atMost5kBEach() throws Exception {
    heldConnections(9000, 1000);
  }

  private void heldConnections(int silent, int stalled) throws Exception {
    int held = silent + stalled;
    try (Child child = Child.start(2);
        LoopbackClients clients = new LoopbackClients(child.address)) {
      assertTrue(
          child.hardFdLimit >= held + 1000,
          "this test needs a hard open-file limit of "
              + (held + 1000)
              + ", not "
              + child.hardFdLimit);
      assertEquals(
          child.hardFdLimit, child.softFdLimit, "HotSpot raised the soft limit from 4096 to hard");
      assertEquals(
          Math.min(16_384, child.hardFdLimit - KmsServer.FD_RESERVE),
          child.cap,
          "the cap in force: min(configured 16384, open-file limit - reserve)");
      for (int i = 0; i < 5; i++) {
        activate(child.address, 1_000_000 + i); // warm-up: class loading and JIT, not the load
      }
      long[] before = child.memory();

      clients.open(silent, null, new byte[0], child::accepted, child.accepted());
      byte[] tenBytesOfABind = Arrays.copyOf(bindBytes(), 10);
      clients.open(stalled, null, tenBytesOfABind, child::accepted, child.accepted());
      long[] samples = new long[9];
      for (int i = 0; i < samples.length; i++) {
        long start = System.nanoTime();
        activate(child.address, i);
        samples[i] = System.nanoTime() - start;
      }
      long[] after = child.memory();
      long[] stats = child.stats();

      Arrays.sort(samples);
      long median = samples[samples.length / 2];
      long max = samples[samples.length - 1];
      long rssGrowth = (after[0] - before[0]) * 1024;
      long heapGrowth = after[1] - before[1];
      long perConnection = (rssGrowth + heapGrowth) / held;
      System.out.printf(
          "ConnectionLoadTest: %d silent + %d stalled held; fresh V6 request median %.2f ms, max"
              + " %.2f ms of %d; VmRSS +%d kB, heap after GC +%d kB: %d bytes per connection%n",
          silent,
          stalled,
          median / 1e6,
          max / 1e6,
          samples.length,
          rssGrowth / 1024,
          heapGrowth / 1024,
          perConnection);
      assertTrue(stats[0] >= held, "every connection held: " + stats[0]);
      assertEquals(0, stats[3], "nothing evicted below the cap");
      assertEquals(0, stats[4] + stats[5] + stats[6], "no deadline fired on the stopped clock");
      assertTrue(median < LATENCY_NANOS, "median " + median / 1e6 + " ms");
      assertTrue(
          perConnection <= BYTES_PER_CONNECTION,
          perConnection + " bytes per held connection (RSS and heap)");
    }
  }

  @Test
  void dribbling1100_aByteEveryNineSeconds_closedByThePduRule() throws Exception {
    int n = 1100;
    try (Child child = Child.start(1);
        LoopbackClients clients = new LoopbackClients(child.address)) {
      byte[] bind = bindBytes();
      List<SocketChannel> dribblers = clients.open(n, null, bind, child::accepted, 0);
      LoopbackClients.readOnePduEach(dribblers); // bound: the bind deadline no longer applies
      LoopbackClients.writeEach(dribblers, new byte[] {bind[0]}); // a second bind begins
      sync(child.address);

      child.advance(Duration.ofSeconds(9));
      sync(child.address);
      assertEquals(0, child.stats()[5], "9 s after the first byte: none closed yet");
      LoopbackClients.writeEach(dribblers, new byte[] {bind[1]}); // a byte every 9 s
      sync(child.address);

      child.advance(Duration.ofSeconds(2));
      int closed = LoopbackClients.closedByPeer(dribblers, n, 10_000);
      long[] stats = child.stats();
      System.out.printf(
          "ConnectionLoadTest: %d of %d dribbling connections closed 11 s after their PDU began"
              + " (slow-PDU timeouts %d)%n",
          closed, n, stats[5]);
      assertEquals(n, closed, "every dribbler closed by the host");
      assertEquals(n, stats[5], "each counted as a slow-PDU timeout");
      assertEquals(0, stats[4] + stats[6], "not as bind or idle timeouts");
    }
  }

  @Test
  void perAddressLimit_twentySourcesTryingAHundredEach_holdSixtyFourEach() throws Exception {
    ManualScheduler time = new ManualScheduler(Instant.parse("2025-06-01T00:00:00Z"));
    KmsServer server =
        KmsServer.builder(KmsHost.builder().build().rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .exemptLoopback(false)
            .time(time)
            .daemon(true)
            .build()
            .start();
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    int sources = 20;
    int tries = 100;
    try (LoopbackClients clients = new LoopbackClients(address)) {
      List<List<SocketChannel>> bySource = new ArrayList<>();
      for (int s = 0; s < sources; s++) {
        bySource.add(
            clients.open(
                tries,
                InetAddress.getByName("127.0.0." + (2 + s)),
                new byte[0],
                () -> server.stats().accepted() + server.stats().refusedByAddressLimit(),
                (long) s * tries));
      }
      int refused = sources * (tries - 64);
      List<SocketChannel> all = new ArrayList<>();
      bySource.forEach(all::addAll);
      assertEquals(refused, LoopbackClients.closedByPeer(all, refused, 10_000));
      for (List<SocketChannel> one : bySource) {
        assertEquals(
            tries - 64, LoopbackClients.closedByPeer(one, tries, 0), "closed at once per source");
      }
      assertEquals(refused, server.stats().refusedByAddressLimit());
      assertEquals(sources * 64, server.stats().openConnections());
      try (RawKmsClient full =
          new RawKmsClient(address, ClientRpcOptions.WINDOWS, InetAddress.getByName("127.0.0.2"))) {
        assertTrue(full.isClosedByPeer(), "a source at its limit gets nothing");
      }
      try (RawKmsClient fresh =
          new RawKmsClient(
              address, ClientRpcOptions.WINDOWS, InetAddress.getByName("127.0.0.100"))) {
        fresh.bind();
        assertTrue(
            fresh
                .activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()))
                .isVerified(),
            "another source is served");
      }
    } finally {
      server.stop(Duration.ofSeconds(2));
    }
  }

  private static byte[] bindBytes() {
    return PduCodec.encode(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
  }

  /** Connect, bind, one V6 activation verified, close. */
  private static void activate(InetSocketAddress address, int cmid) throws IOException {
    try (RawKmsClient c = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      c.bind();
      VerifiedResponse r =
          c.activate(TestRequests.windows10(6, TestRequests.cmid(cmid), Instant.now()));
      assertTrue(r.isVerified(), () -> "failed " + r.failedChecks());
    }
  }

  /**
   * A bind round trip on a fresh connection to a one-loop server: that loop has read every byte
   * sent before and run every task posted before (the fresh connection's own registration is a task
   * that runs an iteration after its accept, so bytes that arrived before it are read by then).
   */
  private static void sync(InetSocketAddress address) throws IOException {
    try (RawKmsClient c = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      c.bind();
    }
  }

  /** The server JVM, driven through stdin. */
  private static final class Child implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final PrintStream commands;
    final InetSocketAddress address;
    final int cap;
    final long softFdLimit;
    final long hardFdLimit;

    private Child(Process process) throws IOException {
      this.process = process;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread errors =
          new Thread(
              () -> {
                try (BufferedReader err =
                    new BufferedReader(
                        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                  for (String l = err.readLine(); l != null; l = err.readLine()) {
                    System.err.println("child: " + l);
                  }
                } catch (IOException e) {
                  System.err.println("child stderr: " + e);
                }
              });
      errors.setDaemon(true);
      errors.start();
      String ready = out.readLine();
      if (ready == null || !ready.startsWith("READY ")) {
        throw new IOException("the child did not start: " + ready);
      }
      String[] f = ready.split(" ");
      address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(f[1]));
      cap = Integer.parseInt(f[2]);
      softFdLimit = Long.parseLong(f[3]);
      hardFdLimit = Long.parseLong(f[4]);
    }

    static Child start(int eventLoops) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String command =
          "ulimit -Sn 4096 && exec '"
              + java
              + "' -Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
              + " -cp '"
              + System.getProperty("java.class.path")
              + "' "
              + ConnectionLoadChild.class.getName()
              + " "
              + eventLoops;
      return new Child(new ProcessBuilder("sh", "-c", command).start());
    }

    private String ask(String command) {
      commands.println(command);
      try {
        String reply = out.readLine();
        if (reply == null) {
          throw new IOException("the child exited");
        }
        return reply;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** open, accepted, refusedByAddressLimit, evicted, bindTimeouts, slowPduTimeouts, idle. */
    long[] stats() {
      return Arrays.stream(ask("stats").substring(6).split(" "))
          .mapToLong(Long::parseLong)
          .toArray();
    }

    long accepted() {
      return stats()[1];
    }

    /** VmRSS in kB and heap used in bytes, after garbage collection. */
    long[] memory() {
      return Arrays.stream(ask("mem").substring(4).split(" ")).mapToLong(Long::parseLong).toArray();
    }

    void advance(Duration d) {
      assertEquals("OK", ask("advance " + d.toMillis()));
    }

    @Override
    public void close() {
      commands.println("quit");
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
