package io.github.kmsj.bench;

import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.Tally;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One {@link ClientLedger#apply} for a Windows client (N policy 25, so the count holds 50 CMIDs):
 * the count and the client record in one structure. With 1,000 or 100,000 distinct clients almost
 * every call adds a record and evicts the least recently seen CMID from the count; with 50 clients
 * every call after the first 50 is a renewal.
 */
public class CountUpdateBenchmark extends AbstractBenchmark {
  @Param({"50", "1000", "100000"})
  public int clients;

  private HostChange.ClientSeen[] changes;
  private int mask;
  private ClientLedger ledger;
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    int size = Fixtures.powerOfTwoAtLeast(clients);
    mask = size - 1;
    changes = new HostChange.ClientSeen[size];
    for (int j = 0; j < size; j++) {
      Guid cmid = Fixtures.cmid(j % clients);
      changes[j] =
          new HostChange.ClientSeen(
              Fixtures.NOW,
              Fixtures.WINDOWS,
              cmid,
              Fixtures.POLICY,
              "ws-" + (j % clients),
              Guid.ZERO,
              Guid.ZERO,
              LicenseStatus.OOB_GRACE,
              Optional.empty());
    }
    ledger = new ClientLedger();
  }

  @Benchmark
  public Tally record() {
    return ledger.apply(changes[i++ & mask]);
  }
}
