package io.github.kmsj.bench;

import io.github.kmsj.core.count.ActivationCounter;
import io.github.kmsj.core.count.CountResult;
import io.github.kmsj.protocol.message.Guid;
import java.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One {@link ActivationCounter#record} for a Windows client (N policy 25, so the table holds 50
 * CMIDs). With 1,000 or 100,000 distinct clients almost every call adds a CMID and evicts the least
 * recently seen one; with 50 clients every call after the first 50 is a renewal.
 */
public class CountUpdateBenchmark extends AbstractBenchmark {
  @Param({"50", "1000", "100000"})
  public int clients;

  private Guid[] cmids;
  private int mask;
  private ActivationCounter counter;
  private Instant now;
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    int size = Fixtures.powerOfTwoAtLeast(clients);
    mask = size - 1;
    cmids = new Guid[size];
    for (int j = 0; j < size; j++) {
      cmids[j] = Fixtures.cmid(j % clients);
    }
    counter = new ActivationCounter();
    now = Fixtures.NOW;
  }

  @Benchmark
  public CountResult record() {
    return counter.record(Fixtures.WINDOWS, cmids[i++ & mask], Fixtures.POLICY, now);
  }
}
