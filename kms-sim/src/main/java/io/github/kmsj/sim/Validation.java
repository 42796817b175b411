package io.github.kmsj.sim;

import io.github.kmsj.core.catalog.ProductCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validation mode: runs one scenario twice, in process and over real loopback sockets (a real
 * {@code KmsServer} per host and the real {@code KmsClient}, on the same virtual clock), and
 * compares the two series sample by sample. Both runs make the same random choices, so any
 * difference is a difference between the simulator's path and the network's. Meant for small
 * scenarios (hundreds of clients, a few months): every request of the second run is a TCP
 * connection.
 */
public final class Validation {
  private static final int MAX_LISTED = 10;

  private Validation() {}

  /**
   * The comparison.
   *
   * @param simulated the in-process run
   * @param loopback the socket run
   * @param differingSamples how many samples differ
   * @param differences the first few, one line each
   */
  public record Report(
      SimulationResult simulated,
      SimulationResult loopback,
      int differingSamples,
      List<String> differences) {
    /** Copies the list. */
    public Report {
      Objects.requireNonNull(simulated, "simulated");
      Objects.requireNonNull(loopback, "loopback");
      differences = List.copyOf(differences);
    }

    /** Whether every sample and the summary agree. */
    public boolean agrees() {
      return differingSamples == 0 && simulated.summary().equals(loopback.summary());
    }
  }

  /**
   * Runs {@code scenario} in process and over loopback sockets and compares them.
   *
   * @throws ScenarioException if the scenario does not resolve against {@code catalog}
   */
  public static Report compare(
      Scenario scenario, ProductCatalog catalog, Simulation.Progress progress) {
    SimulationResult simulated = Simulation.run(scenario, catalog, Simulation.Progress.NONE);
    SimulationResult loopback = Simulation.run(scenario, catalog, progress, LoopbackExchange::new);
    List<String> differences = new ArrayList<>();
    int differing = 0;
    for (int i = 0; i < simulated.samples().size(); i++) {
      Sample a = simulated.samples().get(i);
      Sample b = loopback.samples().get(i);
      if (!a.equals(b)) {
        differing++;
        if (differences.size() < MAX_LISTED) {
          differences.add("day " + a.day() + ": simulator " + a + ", loopback " + b);
        }
      }
    }
    if (!simulated.summary().equals(loopback.summary()) && differences.size() < MAX_LISTED) {
      differences.add(
          "summary: simulator " + simulated.summary() + ", loopback " + loopback.summary());
    }
    return new Report(simulated, loopback, differing, differences);
  }
}
