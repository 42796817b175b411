package io.github.kmsj.bench;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.store.Durability;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.transport.PeerInfo;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV6;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.KmsCall;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A load measurement of {@code KmsHost.rpcHandler().answer} (decode, decrypt, count, journal,
 * encrypt, encode) with no store, a file store surviving a process crash (forced every 10 ms) and
 * one surviving power loss (group commit, the default) durability, on 1 and 16 threads in one run;
 * then the journal and snapshot sizes after 100,000 distinct clients.
 *
 * <p>Run: {@code java -cp <kms-bench classpath> io.github.kmsj.bench.StoreBenchmark [directory]
 * [seconds]}. The directory (default a temporary one) should be on the disk a real host would use.
 */
public final class StoreBenchmark {
  private static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  private static final Guid WIN10_PRO_SKU = Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588");
  private static final Guid WIN10_KMS_ID = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");
  private static final int REQUESTS = 1 << 16;
  private static final int MASK = REQUESTS - 1;

  private StoreBenchmark() {}

  /** Runs every configuration and prints one line each. */
  public static void main(String[] args) throws Exception {
    Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("kmsj-store-bench");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Files.createDirectories(base);
    KmsCall[] calls = calls(REQUESTS, 0);
    PeerInfo peer =
        new PeerInfo(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 50000),
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 2}), 1688));
    System.out.printf(
        "directory %s, %d s per configuration, %d processors%n",
        base, seconds, Runtime.getRuntime().availableProcessors());
    String[] modes = {"none", "process-crash-10ms", "power-loss"};
    KmsHost warm = host("none", base);
    run(warm, calls, peer, 2, 5);
    warm.close();
    for (int threads : new int[] {1, 16}) {
      KmsHost[] hosts = new KmsHost[modes.length];
      double[] best = new double[modes.length];
      for (int m = 0; m < modes.length; m++) {
        Path dir = base.resolve(modes[m] + "-" + threads);
        deleteTree(dir);
        hosts[m] = host(modes[m], dir);
      }
      // Interleaved rounds, best of each: the machine may be shared, and this keeps the comparison
      // fair.
      for (int round = 0; round < 3; round++) {
        for (int m = 0; m < modes.length; m++) {
          run(hosts[m], calls, peer, threads, 1);
          best[m] = Math.max(best[m], run(hosts[m], calls, peer, threads, seconds));
        }
      }
      for (int m = 0; m < modes.length; m++) {
        hosts[m].close();
        System.out.printf(
            "threads=%2d store=%-13s %,10.0f req/s  %5.1f%% of no store%n",
            threads, modes[m], best[m], 100 * best[m] / best[0]);
      }
    }
    journalSize(base.resolve("size"), peer);
  }

  private static KmsHost host(String mode, Path dir) {
    KmsHost.Builder b = KmsHost.builder().random(new Random(1));
    if (mode.equals("process-crash-10ms")) {
      b.store(
          FileHostStore.builder()
              .directory(dir)
              .durability(Durability.survivesProcessCrash(Duration.ofMillis(10)))
              .build());
    } else if (mode.equals("power-loss")) {
      b.store(
          FileHostStore.builder()
              .directory(dir)
              .durability(Durability.SURVIVES_POWER_LOSS)
              .build());
    }
    return b.build();
  }

  private static double run(KmsHost host, KmsCall[] calls, PeerInfo peer, int threads, int seconds)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong total = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t * (REQUESTS / 16);
      Thread w =
          new Thread(
              () -> {
                long n = 0;
                int i = offset;
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                while (!stop.get()) {
                  if (host.rpcHandler().answer(calls[i++ & MASK], peer).join().length == 0) {
                    throw new IllegalStateException("empty stub");
                  }
                  n++;
                }
                total.addAndGet(n);
              });
      workers.add(w);
      w.start();
    }
    long t0 = System.nanoTime();
    start.countDown();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    return total.get() / ((System.nanoTime() - t0) / 1e9);
  }

  /** 100,000 distinct clients through a process-crash store with default snapshot settings. */
  private static void journalSize(Path dir, PeerInfo peer) throws IOException {
    deleteTree(dir);
    FileHostStore store =
        FileHostStore.builder()
            .directory(dir)
            .durability(Durability.survivesProcessCrash(Duration.ofMillis(10)))
            .build();
    KmsHost host = KmsHost.builder().random(new Random(2)).store(store).build();
    long maxJournal = 0;
    int clients = 100_000;
    int batch = 10_000;
    for (int from = 0; from < clients; from += batch) {
      KmsCall[] calls = calls(batch, from);
      for (KmsCall call : calls) {
        host.rpcHandler().answer(call, peer).join();
        maxJournal = Math.max(maxJournal, store.journalBytes());
      }
    }
    long snapshots = store.generation();
    host.close();
    long snapshotBytes = 0;
    long journalBytes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith("snapshot-")) {
          snapshotBytes += Files.size(p);
        } else if (name.startsWith("journal-")) {
          journalBytes += Files.size(p);
        }
      }
    }
    System.out.printf(
        "100,000 distinct clients: %d snapshots, largest journal %,d bytes, final journal %,d bytes, snapshot %,d bytes%n",
        snapshots, maxJournal, journalBytes, snapshotBytes);
  }

  private static KmsCall[] calls(int n, int from) {
    Instant now = Instant.now();
    Bytes salt = Bytes.fromHex("00112233445566778899aabbccddeeff");
    KmsCall[] calls = new KmsCall[n];
    for (int i = 0; i < n; i++) {
      Guid cmid = Guid.of(new UUID(0x6f1c2a3b4d5e4f60L, 0x8a7b000000000000L | (from + i)));
      BaseRequest base =
          new BaseRequest(
              new ProtocolVersion(6, 0),
              0,
              LicenseStatus.OOB_GRACE,
              43200,
              WINDOWS,
              WIN10_PRO_SKU,
              WIN10_KMS_ID,
              cmid,
              25,
              Filetime.of(now),
              Guid.ZERO,
              "desktop-" + (from + i) + ".corp.example.com");
      byte[] message = KmsClientCodec.encodeRequest(new RequestV6(base, salt)).bytes();
      calls[i] =
          new KmsCall(
              i,
              0,
              TransferSyntax.NDR32,
              0x10,
              KmsStubCodec.encodeRequest(TransferSyntax.NDR32, message));
    }
    return calls;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
