package io.github.kmsj.core.admin;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every setting a {@link HostAdmin} can change on a running host, at one moment: what a saved
 * configuration must write so that a restart comes back the same.
 *
 * @param activationInterval the activation interval answers carry
 * @param renewalInterval the renewal interval answers carry
 * @param port the port the host listens on; empty without a server
 * @param lowPriority whether the host runs in low priority ({@code slmgr /cpri})
 * @param dns the DNS publishing settings; empty without a publisher
 */
public record AdminSettings(
    Duration activationInterval,
    Duration renewalInterval,
    Optional<Integer> port,
    boolean lowPriority,
    Optional<DnsSettings> dns) {

  /** Null checks. */
  public AdminSettings {
    Objects.requireNonNull(activationInterval, "activationInterval");
    Objects.requireNonNull(renewalInterval, "renewalInterval");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(dns, "dns");
  }

  /**
   * The DNS publishing settings.
   *
   * @param enabled whether the host keeps its SRV records published ({@code slmgr /sdns}) or
   *     removed them and stays unpublished ({@code /cdns})
   * @param priority the SRV priority in the home domain
   * @param weight the SRV weight in the home domain
   * @param extraDomains the other domains, each with its priority and weight
   */
  public record DnsSettings(
      boolean enabled, int priority, int weight, List<DnsPublishing.Domain> extraDomains) {
    /** Copies the list. */
    public DnsSettings {
      extraDomains = List.copyOf(extraDomains);
    }
  }
}
