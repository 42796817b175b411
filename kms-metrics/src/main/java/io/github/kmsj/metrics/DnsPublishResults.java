package io.github.kmsj.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the outcomes of publishing and removing a host's {@code _vlmcs._tcp} SRV records, for
 * {@link KmsMetrics}' {@code kmsj_dns_publish_total{operation, result}}. kms-metrics does not
 * depend on kms-dns: whoever runs the publisher reports each outcome here (kmsj host does it from
 * its {@code PublishListener}). Thread-safe.
 */
public final class DnsPublishResults {

  /** What was attempted, as kms-dns' {@code PublishEvent.Operation}. */
  public enum Operation {
    /** Adding or refreshing the host's record. */
    PUBLISH,
    /** Deleting the host's records. */
    REMOVE
  }

  private final LongAdder[] succeeded = {new LongAdder(), new LongAdder()};
  private final LongAdder[] failed = {new LongAdder(), new LongAdder()};

  /** Counts one outcome of {@code operation} in one domain. */
  public void record(Operation operation, boolean success) {
    (success ? succeeded : failed)[operation.ordinal()].increment();
  }

  /** The outcomes of {@code operation} so far that succeeded (or failed, for false). */
  public long count(Operation operation, boolean success) {
    return (success ? succeeded : failed)[operation.ordinal()].sum();
  }

  @Override
  public String toString() {
    return "DnsPublishResults[published="
        + count(Operation.PUBLISH, true)
        + ", publishFailed="
        + count(Operation.PUBLISH, false)
        + ", removed="
        + count(Operation.REMOVE, true)
        + ", removeFailed="
        + count(Operation.REMOVE, false)
        + "]";
  }
}
