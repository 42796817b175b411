package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.kmsj.core.host.HostListener;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.StoreHealth;
import io.github.kmsj.core.store.TestChannels;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage faults seen through the real NIO server on loopback: a stalled force holds only the
 * requests that need it, and a full disk (a real tmpfs) gets clients the {@code 0x8007045D} answer
 * until space returns, without a restart and without losing an answered CMID.
 */
final class StoreFaultServerTest {

  @TempDir Path dir;

  private final BlockingQueue<StoreHealth> health = new LinkedBlockingQueue<>();

  private KmsHost host(FileHostStore store) {
    return KmsHost.builder()
        .random(new Random(5))
        .listener(
            new HostListener() {
              @Override
              public void onRequest(RequestEvent event) {}

              @Override
              public void onStoreHealth(StoreHealth h) {
                health.add(h);
              }
            })
        .store(store)
        .build();
  }

  private static KmsServer serve(KmsHost host) {
    return KmsServer.builder(host.rpcHandler())
        .listen(java.util.List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        .daemon(true)
        .build()
        .start();
  }

  private static InetSocketAddress address(KmsServer server) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  @Test
  void forceStalled_otherConnectionsAreStillServed() throws Exception {
    TestChannels channels = new TestChannels();
    KmsHost host =
        host(FileHostStore.builder().directory(dir.resolve("data")).channels(channels).build());
    KmsServer server = serve(host);
    ExecutorService pool = Executors.newSingleThreadExecutor(DaemonThreadFactory.named("stalled"));
    try {
      channels.closeGate(); // the disk freezes
      Future<VerifiedResponse> stalled =
          pool.submit(
              () -> {
                try (RawKmsClient a = new RawKmsClient(address(server), ClientRpcOptions.WINDOWS)) {
                  a.socket.setSoTimeout(30_000);
                  a.bind();
                  return a.activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()));
                }
              });
      channels.awaitArrivedAtGate(1);

      try (RawKmsClient b = new RawKmsClient(address(server), ClientRpcOptions.WINDOWS);
          RawKmsClient c = new RawKmsClient(address(server), ClientRpcOptions.WINDOWS)) {
        b.bind();
        VerifiedResponse probe =
            b.activate(TestRequests.windows10(6, KmsHost.PROBE_CMID, Instant.now()));
        assertTrue(probe.isVerified());
        // The ledger counts a change when the store accepts it, before it is durable.
        assertEquals(1, probe.response().base().currentClientCount());
        c.bind();
      }
      assertFalse(stalled.isDone(), "its answer waits for the force");

      channels.openGate();
      VerifiedResponse answered = stalled.get(30, TimeUnit.SECONDS);
      assertTrue(answered.isVerified());
      assertEquals(1, answered.response().base().currentClientCount());
    } finally {
      channels.openGate();
      pool.shutdownNow();
      server.stop(Duration.ofSeconds(2));
      host.close();
    }
  }

  @Test
  void tmpfsFilledUnderLoad_clientsGetIoDeviceUntilSpaceReturns_noAnsweredCmidLost()
      throws Exception {
    Path mount = Files.createDirectories(dir.resolve("tmpfs"));
    mountTmpfs(mount);
    ManualScheduler time = new ManualScheduler(Instant.now());
    Set<Guid> sent = new HashSet<>();
    Set<Guid> answered = new HashSet<>();
    int failed = 0;
    Path data = mount.resolve("data");
    try {
      KmsHost host = host(FileHostStore.builder().directory(data).time(time).build());
      KmsServer server = serve(host);
      try (RawKmsClient client = new RawKmsClient(address(server), ClientRpcOptions.WINDOWS)) {
        client.bind();
        int n = 0;
        for (; n < 20; n++) {
          assertEquals(HResult.S_OK, send(client, n, sent, answered));
        }
        fill(mount.resolve("filler"));
        for (; n < 120; n++) {
          HResult r = send(client, n, sent, answered);
          if (r.isFailure()) {
            assertEquals(HResult.IO_DEVICE, r, "the answer while the disk is full");
            failed++;
          }
        }
        assertTrue(failed > 0, "the full disk refused nothing");
        StoreHealth.Degraded degraded =
            assertInstanceOf(StoreHealth.Degraded.class, host.storeHealth());
        assertTrue(degraded.retrying());
        assertEquals(failed, degraded.failedChanges());
        assertInstanceOf(StoreHealth.Degraded.class, nextHealth());

        Files.delete(mount.resolve("filler"));
        time.advance(Duration.ofSeconds(1)); // the store's retry
        assertEquals(StoreHealth.HEALTHY, nextHealth());
        for (; n < 150; n++) {
          assertEquals(HResult.S_OK, send(client, n, sent, answered), "after space returned");
        }
      } finally {
        server.stop(Duration.ofSeconds(2));
        host.close();
      }
      try (FileHostStore restarted = FileHostStore.builder().directory(data).build()) {
        Set<Guid> stored =
            restarted.load(LedgerLimits.DEFAULT).ledger().clients().stream()
                .map(ClientRecord::cmid)
                .collect(Collectors.toSet());
        assertTrue(stored.containsAll(answered), "every answered CMID survives the restart");
        assertTrue(sent.containsAll(stored), "no CMID that was never sent");
      }
    } finally {
      unmount(mount);
    }
  }

  /** One request on {@code client}: its HRESULT, the answered CMIDs remembered. */
  private static HResult send(RawKmsClient client, int i, Set<Guid> sent, Set<Guid> answered)
      throws IOException {
    Guid cmid = TestRequests.cmid(i);
    sent.add(cmid);
    EncodedRequest request =
        KmsClientCodec.encodeRequest(TestRequests.windows10(6, cmid, Instant.now()));
    StubResponse stub = client.call(request.bytes());
    if (stub.hresult().isFailure()) {
      assertTrue(stub.message().isEmpty());
      return stub.hresult();
    }
    assertTrue(KmsClientCodec.decodeResponse(request, stub.message().get().toArray()).isVerified());
    answered.add(cmid);
    return stub.hresult();
  }

  private StoreHealth nextHealth() throws InterruptedException {
    StoreHealth h = health.poll(30, TimeUnit.SECONDS);
    assertNotNull(h, "no health change within 30 s");
    return h;
  }

  /** Writes {@code file} until the file system is full. */
  private static void fill(Path file) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 1024; i++) {
        out.write(chunk);
        out.flush();
      }
      fail("the 2 MiB tmpfs took 64 MiB");
    } catch (IOException full) {
      // The file system is full: what this test needs.
    }
  }

  private static void mountTmpfs(Path mount) throws Exception {
    String output =
        run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mount.toString());
    if (output != null) {
      String why = "cannot mount a tmpfs (needs root): " + output;
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  private static void unmount(Path mount) throws Exception {
    String output = run("umount", mount.toString());
    if (output != null) {
      fail("cannot unmount " + mount + ": " + output);
    }
  }

  /** Runs a command for at most 30 s: null if it succeeded, else its output. */
  private static String run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.toString();
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", command) + " did not finish within 30 s";
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
  }
}
