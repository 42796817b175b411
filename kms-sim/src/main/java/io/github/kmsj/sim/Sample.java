package io.github.kmsj.sim;

import java.util.List;

/**
 * The fleet and the hosts at one sampling time: the state after everything due at that time ran.
 *
 * @param day days since day 0 (fractional when sampling more often than daily)
 * @param clients machines installed and not retired
 * @param licensed clients in the licensed state
 * @param oobGrace clients in out-of-box grace
 * @param ootGrace clients in out-of-tolerance grace (after a hardware change, {@code
 *     hardwareChangeDay})
 * @param notification clients in notification
 * @param unlicensed clients without a licence or grace (a KMS client with a volume key is never
 *     there: grace ends in notification; so 0)
 * @param hosts one entry per host, in scenario order
 */
public record Sample(
    double day,
    int clients,
    int licensed,
    int oobGrace,
    int ootGrace,
    int notification,
    int unlicensed,
    List<HostSample> hosts) {

  /** Copies the list. */
  public Sample {
    hosts = List.copyOf(hosts);
  }

  /**
   * One host at one sampling time.
   *
   * @param up whether it accepts connections
   * @param counts its count per application, in the order of {@link
   *     SimulationResult#applications()}
   * @param requests requests it received since the previous sample
   * @param dependents clients whose last answer came from it (their cached host)
   */
  public record HostSample(boolean up, List<Integer> counts, long requests, int dependents) {
    /** Copies the list. */
    public HostSample {
      counts = List.copyOf(counts);
    }
  }
}
