package io.github.kmsj.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.catalog.ProductCatalog;
import org.junit.jupiter.api.Test;

/** The simulator against the network: the same scenario in process and over loopback sockets. */
final class ValidationTest {

  /**
   * 50 clients over 60 days, chosen to exercise every path that reaches a host: Windows clients
   * reaching the threshold late (30 on day 0, 10 arriving at 2 a day), Windows Server and Office on
   * their own thresholds, two hosts by SRV weight, an outage that sends cached clients to the other
   * host, and a clock 5 hours off that the host refuses. The two runs must agree on every daily
   * sample (states, counts per host and application, requests, dependents) and on the summary.
   */
  @Test
  void validate_50Clients60Days_loopbackAgreesWithSimulatorEveryDay() {
    Scenario s =
        SimulationTest.yaml(
            """
            name: validation
            days: 60
            seed: 7
            hosts:
              - {name: kms1, outages: [{day: 20, days: 5}]}
              - {name: kms2, renewalIntervalMinutes: 4320}
            dns:
              - {host: kms1, weight: 70}
              - {host: kms2, weight: 30}
            fleets:
              - {name: pc, product: Windows 11, count: 30}
              - {name: late, product: Windows 11, count: 8, arrival: {fromDay: 2, perDay: 2}}
              - {name: skewed, product: Windows 11, count: 2, clockSkewMinutes: 300}
              - {name: srv, product: Windows Server 2022, count: 5}
              - {name: off, product: Office LTSC 2021, count: 5, arrival: {day: 10}}
            """);
    Validation.Report report =
        Validation.compare(s, ProductCatalog.builtIn(), Simulation.Progress.NONE);
    assertEquals(61, report.simulated().samples().size());
    assertTrue(report.agrees(), String.join("\n", report.differences()));
    assertEquals(0, report.differingSamples());
    long requests =
        report.loopback().summary().hosts().stream().mapToLong(Summary.HostSummary::requests).sum();
    assertTrue(requests > 500, "the loopback run made " + requests + " requests");
    assertTrue(report.loopback().summary().hosts().get(1).requests() > 0, "kms2 was used");
    assertTrue(report.loopback().last().licensed() > 0);
  }
}
