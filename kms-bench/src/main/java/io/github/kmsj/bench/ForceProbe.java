package io.github.kmsj.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * What one durable force costs on a disk, measured the way {@code FileHostStore}'s writer forces
 * its journal: append a record to a file zero-filled ahead, then {@code FileChannel.force(false)}
 * ({@code fdatasync}). A plain {@code main}, not JMH: the figure wanted is CPU time (user + system,
 * the calling thread's {@code CLOCK_THREAD_CPUTIME_ID}), which JMH does not report, beside the wall
 * time per force. Bounded by a force count and a duration, both capped; it stops by itself and
 * deletes its file. Run with {@code --help}.
 *
 * <p>Why it exists: with C closed-loop clients (each waits for its answer before it sends again) a
 * force covers at most C answers, so {@code CPU per force / C} is a floor under what durable
 * answers cost on top of answers that are not forced, whatever the host does around the force.
 */
public final class ForceProbe {
  static final int MAX_FORCES = 1_000_000;
  static final double MAX_SECONDS = 300;

  private static final String USAGE =
      """
      Usage: java -cp kms-bench/target/benchmarks.jar io.github.kmsj.bench.ForceProbe [options]

      Appends a record to a zero-filled file and forces it (fdatasync), again and again, and reports
      the CPU time and the wall time per force. Stops after --forces or --duration, whichever is first.

        --dir DIR          where to create the scratch file (default: the current directory); use the
                           host's --data-dir file system, since what a force costs is the disk's
        --forces N         forces to measure (default 5000, max 1000000)
        --record BYTES     bytes appended before each force (default 700: a batch of ~6 journal
                           records; 1 to 65536)
        --duration S       stop after S seconds (default 30, max 300)
        --connections C    also print CPU per force / C, the floor per answer at C closed-loop
                           connections (default 16)
      """;

  private ForceProbe() {}

  public static void main(String[] args) throws IOException {
    try {
      probe(args);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage());
    }
  }

  private static void probe(String[] args) throws IOException {
    Path dir = Path.of(".");
    int forces = 5000;
    int record = 700;
    double seconds = 30;
    int connections = 16;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help")) {
        System.out.print(USAGE);
        return;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--dir" -> dir = Path.of(v);
        case "--forces" -> forces = (int) LoadTool.range(a, v, 1, MAX_FORCES);
        case "--record" -> record = (int) LoadTool.range(a, v, 1, 65536);
        case "--duration" -> seconds = LoadTool.rangeD(a, v, 0.1, MAX_SECONDS);
        case "--connections" -> connections = (int) LoadTool.range(a, v, 1, 65536);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--dir " + dir + " is not a directory");
    }
    Path file = Files.createTempFile(dir, "kmsj-force-probe", ".dat");
    try {
      run(file, forces, record, seconds, connections);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void run(Path file, int forces, int record, double seconds, int connections)
      throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long ahead = Math.max(64L << 20, (long) forces * record + (4 << 20));
    long[] wall = new long[forces];
    int done = 0;
    long cpu0;
    long cpu1;
    long elapsed;
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      for (long at = 0; at < ahead; at += zeros.capacity()) {
        zeros.clear();
        ch.write(zeros, at);
      }
      ch.force(true);
      ByteBuffer rec = ByteBuffer.allocateDirect(record);
      long deadline = System.nanoTime() + (long) (seconds * 1e9);
      long at = 0;
      long start = System.nanoTime();
      cpu0 = threads.getCurrentThreadCpuTime();
      while (done < forces && System.nanoTime() < deadline) {
        rec.clear();
        rec.put(0, (byte) done);
        long t0 = System.nanoTime();
        while (rec.hasRemaining()) {
          at += ch.write(rec, at);
        }
        ch.force(false);
        wall[done++] = System.nanoTime() - t0;
      }
      cpu1 = threads.getCurrentThreadCpuTime();
      elapsed = System.nanoTime() - start;
    }
    long[] w = Arrays.copyOf(wall, done);
    Arrays.sort(w);
    double cpuPerForce = (cpu1 - cpu0) / 1e3 / done;
    System.out.printf(
        Locale.ROOT,
        "forces: %d of %d-byte appends in %.1f s on %s%n",
        done,
        record,
        elapsed / 1e9,
        file.getParent().toAbsolutePath());
    System.out.printf(
        Locale.ROOT, "CPU per force: %.1f µs (user + system of the forcing thread)%n", cpuPerForce);
    System.out.printf(
        Locale.ROOT,
        "wall per force: mean %.1f µs, p50 %.1f, p99 %.1f%n",
        elapsed / 1e3 / done,
        w[done / 2] / 1e3,
        w[Math.min(done - 1, (int) (done * 0.99))] / 1e3);
    System.out.printf(
        Locale.ROOT,
        "floor at %d closed-loop connections: at least %.2f µs CPU per durable answer%n",
        connections,
        cpuPerForce / connections);
  }

  private static void fail(String message) {
    System.err.println("ForceProbe: " + message);
    System.exit(2);
  }
}
