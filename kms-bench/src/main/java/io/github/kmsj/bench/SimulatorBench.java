package io.github.kmsj.bench;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.sim.Scenario;
import io.github.kmsj.sim.Simulation;
import io.github.kmsj.sim.SimulationResult;
import io.github.kmsj.sim.Summary;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fleet simulator's speed and memory: a plain {@code main}, not JMH (one run of a year is the
 * measurement). For each fleet size it runs one scenario, {@code N} Windows 11 clients arriving
 * evenly over the first 30 days on one host with Microsoft's default intervals, for {@code --days}
 * days, and prints the wall time, the simulating thread's CPU time (the figure that a machine
 * shared with other work does not inflate), the requests, the cost per client-day and the heap used
 * after a full GC taken on the last simulated day, while the whole simulation is still reachable.
 * Bounded: a run that passes {@code --timeout} seconds stops with an error.
 *
 * <pre>
 * java -Xmx2g -cp kms-bench/target/benchmarks.jar io.github.kmsj.bench.SimulatorBench \
 *     --clients 1000,10000,30000,100000 --days 365
 * </pre>
 */
public final class SimulatorBench {
  private SimulatorBench() {}

  /** Runs the sizes given. */
  public static void main(String[] args) {
    List<Integer> sizes = List.of(1_000, 10_000);
    int days = 365;
    long timeoutSeconds = 300;
    int warmup = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--clients" -> {
          List<Integer> s = new ArrayList<>();
          for (String n : args[++i].split(",")) {
            s.add(Integer.parseInt(n.strip()));
          }
          sizes = s;
        }
        case "--days" -> days = Integer.parseInt(args[++i]);
        case "--timeout" -> timeoutSeconds = Long.parseLong(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "usage: SimulatorBench [--clients N,N,...] [--days D] [--timeout S] [--warmup K]: "
                    + args[i]);
      }
    }
    ProductCatalog catalog = ProductCatalog.builtIn();
    for (int w = 0; w < warmup; w++) {
      run(catalog, 2_000, 60, timeoutSeconds, false);
    }
    System.out.println(
        "clients  days  seconds  cpu-seconds  requests   ns/client-day  cpu-ns/client-day  cpu-ns/request"
            + "  heap-after-gc-MB  licensed");
    for (int n : sizes) {
      run(catalog, n, days, timeoutSeconds, true);
    }
  }

  private static void run(
      ProductCatalog catalog, int clients, int days, long timeoutSeconds, boolean print) {
    Scenario s =
        new Scenario(
            "bench " + clients,
            null,
            days,
            1L,
            null,
            null,
            List.of(new Scenario.Host("kms1", null, null, null, null, null, null, null)),
            null,
            List.of(
                new Scenario.Fleet(
                    "pc",
                    "Windows 11",
                    clients,
                    new Scenario.Arrival(null, 0, clients / 30.0),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long[] heap = new long[1];
    long[] gcNanos = new long[1];
    long start = System.nanoTime();
    long deadline = start + timeoutSeconds * 1_000_000_000L;
    int lastDay = days;
    SimulationResult r =
        Simulation.run(
            s,
            catalog,
            (day, total) -> {
              if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                    "stopped on day " + day + ": over the " + timeoutSeconds + " s bound");
              }
              if (day == lastDay && print) {
                long before = System.nanoTime();
                System.gc();
                heap[0] = memory.getHeapMemoryUsage().getUsed();
                gcNanos[0] += System.nanoTime() - before; // the GC is not the simulator's time
              }
            });
    long elapsed = System.nanoTime() - start - gcNanos[0];
    long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
    if (!print) {
      return;
    }
    long requests = r.summary().hosts().stream().mapToLong(Summary.HostSummary::requests).sum();
    System.out.printf(
        Locale.ROOT,
        "%7d  %4d  %7.2f  %11.2f  %9d  %14.1f  %17.1f  %14.1f  %16.1f  %8d%n",
        clients,
        days,
        elapsed / 1e9,
        cpu / 1e9,
        requests,
        elapsed / ((double) clients * days),
        cpu / ((double) clients * days),
        cpu / (double) requests,
        heap[0] / 1048576.0,
        r.last().licensed());
  }
}
