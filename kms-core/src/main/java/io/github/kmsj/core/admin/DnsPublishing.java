package io.github.kmsj.core.admin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SPI through which {@link HostAdmin} controls the publishing of a host's {@code _vlmcs._tcp}
 * SRV records, so that kms-core needs no DNS library: kms-dns's {@code SrvPublisher} implements it.
 * Implementations are thread-safe; each method may talk to DNS on the calling thread and returns
 * once its update was sent (or failed, which {@link #state()} then reports and a retry with
 * back-off repairs).
 */
public interface DnsPublishing {

  /** The publishing state now. */
  State state();

  /**
   * Turns publishing on (publish now, then re-register periodically and retry failures) or off
   * (remove the records this host published and stop re-registering, so a removal sticks).
   */
  void setEnabled(boolean enabled);

  /** Publishes the host's records with another port from now on (re-published at once if on). */
  void setPort(int port);

  /** The SRV priority in the home domain, 0–65535. */
  void setPriority(int priority);

  /** The SRV weight in the home domain, 0–65535. */
  void setWeight(int weight);

  /**
   * Replaces the extra domains; records in domains no longer listed are removed when publishing is
   * on.
   */
  void setExtraDomains(List<Domain> domains);

  /**
   * A domain the host publishes in.
   *
   * @param domain the domain, fully qualified with its final dot
   * @param priority the SRV priority there, 0–65535
   * @param weight the SRV weight there, 0–65535
   */
  record Domain(String domain, int priority, int weight) {
    /** Checks the ranges. */
    public Domain {
      Objects.requireNonNull(domain, "domain");
      if (priority < 0 || priority > 0xFFFF) {
        throw new IllegalArgumentException("DNS priority must be 0-65535: " + priority);
      }
      if (weight < 0 || weight > 0xFFFF) {
        throw new IllegalArgumentException("DNS weight must be 0-65535: " + weight);
      }
    }
  }

  /**
   * The outcome of the latest publish or remove in one domain.
   *
   * @param domain the domain
   * @param operation {@code "publish"} or {@code "remove"}
   * @param success whether it succeeded and was verified by reading the record back
   * @param detail a readable account (the failure's reason and detail on failure)
   * @param time when it finished (the publisher's clock)
   */
  record Result(String domain, String operation, boolean success, String detail, Instant time) {
    /** Null checks. */
    public Result {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(time, "time");
    }
  }

  /**
   * What a publisher does and did.
   *
   * @param enabled whether publishing is on
   * @param target the SRV target, this host's name with its final dot
   * @param port the port published
   * @param priority the SRV priority in the home domain
   * @param weight the SRV weight in the home domain
   * @param extraDomains the domains published in besides the home domain
   * @param domains every domain published in: the home domain (unless disabled) first, then the
   *     extra ones, with priority and weight
   * @param lastResults the latest outcome per domain, in {@code domains} order; empty before the
   *     first attempt
   * @param nextAttempt when the next publish (a re-registration or a retry) is due; empty when off
   * @param consecutiveFailures how many runs in a row failed in some domain (sets the back-off)
   */
  record State(
      boolean enabled,
      String target,
      int port,
      int priority,
      int weight,
      List<Domain> extraDomains,
      List<Domain> domains,
      List<Result> lastResults,
      Optional<Instant> nextAttempt,
      int consecutiveFailures) {
    /** Copies the lists. */
    public State {
      Objects.requireNonNull(target, "target");
      extraDomains = List.copyOf(extraDomains);
      domains = List.copyOf(domains);
      lastResults = List.copyOf(lastResults);
      Objects.requireNonNull(nextAttempt, "nextAttempt");
    }
  }
}
