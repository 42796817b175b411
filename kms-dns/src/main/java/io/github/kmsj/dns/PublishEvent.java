package io.github.kmsj.dns;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of publishing or removing a host's SRV record in one domain, delivered to a {@link
 * PublishListener} and returned by {@link SrvPublisher#publishNow()} and {@link
 * SrvPublisher#removeNow()}. Names are fully qualified with the final dot.
 */
public sealed interface PublishEvent
    permits PublishEvent.Published, PublishEvent.Removed, PublishEvent.Failed {

  /** Returns the domain this outcome is for, such as {@code "corp.example."}. */
  String domain();

  /** Returns the SRV owner name, {@code _vlmcs._tcp.<domain>}. */
  String recordName();

  /** Returns whether the operation succeeded and was verified. */
  default boolean isSuccess() {
    return !(this instanceof Failed);
  }

  /** What was attempted. */
  enum Operation {
    /** Adding or refreshing the host's record. */
    PUBLISH,
    /** Deleting the host's record. */
    REMOVE
  }

  /**
   * The host's record is in the zone and was read back from the zone's server.
   *
   * @param domain the domain
   * @param zone the zone that holds the record, which may be a delegated child of {@code domain}'s
   *     parent (for example {@code "branch.corp.example."})
   * @param recordName the SRV owner name
   * @param target the host's name, the SRV target
   * @param port the SRV port
   * @param priority the SRV priority
   * @param weight the SRV weight
   * @param ttl the record's TTL
   * @param replaced how many earlier records for the same target were deleted by the update
   */
  record Published(
      String domain,
      String zone,
      String recordName,
      String target,
      int port,
      int priority,
      int weight,
      Duration ttl,
      int replaced)
      implements PublishEvent {
    /** Checks the fields. */
    public Published {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(recordName, "recordName");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(ttl, "ttl");
    }
  }

  /**
   * The host's records are gone from the zone, verified by reading it back.
   *
   * @param domain the domain
   * @param zone the zone that held the records
   * @param recordName the SRV owner name
   * @param target the host's name whose records were deleted
   * @param removed how many records were deleted; 0 when there were none
   */
  record Removed(String domain, String zone, String recordName, String target, int removed)
      implements PublishEvent {
    /** Checks the fields. */
    public Removed {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(recordName, "recordName");
      Objects.requireNonNull(target, "target");
    }
  }

  /**
   * Publishing or removing failed.
   *
   * @param domain the domain
   * @param recordName the SRV owner name
   * @param operation what was attempted
   * @param reason why it failed
   * @param zone the zone the update was meant for, if it was found
   * @param detail a readable account: response code, TSIG error, what was read back
   * @param cause the exception behind a timeout or network error, if any
   */
  record Failed(
      String domain,
      String recordName,
      Operation operation,
      PublishFailure reason,
      Optional<String> zone,
      String detail,
      Optional<Throwable> cause)
      implements PublishEvent {
    /** Checks the fields. */
    public Failed {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(recordName, "recordName");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(cause, "cause");
    }
  }
}
