package io.github.kmsj.bench;

/**
 * A fixed log-bucket histogram of nanosecond latencies: exact below 64 ns, then 64 buckets per
 * power of two (at most 1.6 % too high). Constant memory, no allocation when recording; one per
 * thread, merged at the end. Not thread-safe.
 */
final class LatencyHistogram {
  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  private final long[] counts = new long[(64 - SUB_BITS) * SUB];
  private long count;
  private long max;
  private long sum;

  void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)]++;
    count++;
    sum += v;
    if (v > max) {
      max = v;
    }
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int e = 63 - Long.numberOfLeadingZeros(v);
    int sub = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
    return (e - SUB_BITS + 1) * SUB + sub;
  }

  /** The largest value that falls in bucket {@code idx}. */
  static long upperBound(int idx) {
    int b = idx / SUB;
    int s = idx % SUB;
    if (b == 0) {
      return s;
    }
    int shift = b - 1;
    return ((long) (SUB + s + 1) << shift) - 1;
  }

  void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    max = Math.max(max, other.max);
  }

  long count() {
    return count;
  }

  long max() {
    return max;
  }

  double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  /**
   * The value at quantile {@code q} (0-1): the upper bound of the bucket holding that rank, at most
   * max.
   */
  long percentile(double q) {
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * count));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(upperBound(i), max);
      }
    }
    return max;
  }
}
