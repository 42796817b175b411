package io.github.kmsj.sim;

import java.util.List;

/**
 * A finished run: the series and its summary.
 *
 * @param name the scenario's name
 * @param start the date of day 0
 * @param days how many days ran
 * @param sampleMinutes the sampling interval
 * @param hosts host names, in scenario order (the order of every per-host list)
 * @param applications the applications counted, in the order of every per-application list
 * @param samples the series, from day 0 to the last day inclusive
 * @param summary what it comes to
 */
public record SimulationResult(
    String name,
    String start,
    int days,
    int sampleMinutes,
    List<String> hosts,
    List<Application> applications,
    List<Sample> samples,
    Summary summary) {

  /** Copies the lists. */
  public SimulationResult {
    hosts = List.copyOf(hosts);
    applications = List.copyOf(applications);
    samples = List.copyOf(samples);
  }

  /** The last sample. */
  public Sample last() {
    return samples.get(samples.size() - 1);
  }
}
