package io.github.kmsj.dns.migrate;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.BindOutcome;
import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What probing one host without DNS found ({@link HostProber}).
 *
 * @param address the host as given, {@code host:port}
 * @param connectTime how long the TCP connection took, when it succeeded
 * @param connectError why it failed, when it did
 * @param cells the coverage matrix of the host
 * @param uncountedProbe whether an answer to the probe CMID carried count 0: a host that counts the
 *     requester includes it, so its count is never 0; kmsj hosts do not count the probe CMID
 * @param versions the answer to the same product in protocol 4, 5 and 6
 * @param bind what the bind with NDR32, NDR64 and BTFN on offer negotiated
 * @param clock the host clock's offset from ours, as far as the ±4 h check reveals it
 * @param ePids the ePIDs of the stability calls, in order
 * @param hwids the HWIDs of the stability calls (V6), in order
 * @param counts per application: the count and the N policies of its products
 */
public record HostProfile(
    String address,
    Optional<Duration> connectTime,
    Optional<String> connectError,
    List<CoverageMatrix.Cell> cells,
    boolean uncountedProbe,
    Map<Integer, ActivationResult> versions,
    Optional<BindOutcome> bind,
    ClockReading clock,
    List<String> ePids,
    List<String> hwids,
    List<ApplicationCount> counts) {

  /** Copies the collections. */
  public HostProfile {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(connectTime, "connectTime");
    Objects.requireNonNull(connectError, "connectError");
    cells = List.copyOf(cells);
    versions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(versions));
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(clock, "clock");
    ePids = List.copyOf(ePids);
    hwids = List.copyOf(hwids);
    counts = List.copyOf(counts);
  }

  /** Whether the host answered KMS at all. */
  public boolean answersKms() {
    return cells.stream().anyMatch(c -> c.outcome() != CoverageMatrix.Outcome.FAILED)
        || versions.values().stream()
            .anyMatch(r -> CoverageMatrix.outcome(r) != CoverageMatrix.Outcome.FAILED);
  }

  /**
   * The count of one application as the host reported it.
   *
   * @param applicationId the application
   * @param name its catalog name
   * @param count the highest count the host returned for it
   * @param policies the distinct N policies of its granted products, ascending
   */
  public record ApplicationCount(
      Guid applicationId, String name, int count, List<Integer> policies) {
    /** Copies the list. */
    public ApplicationCount {
      policies = List.copyOf(policies);
    }
  }

  /**
   * The host clock's offset as the client-clock check shows it.
   *
   * @param checked whether the host refuses a client clock 4 h 10 min off (it checks the clock)
   * @param offset the host clock minus ours, to about 5 s, when it checks and could be measured
   * @param note how it was measured, or why not
   */
  public record ClockReading(boolean checked, Optional<Duration> offset, String note) {}
}
