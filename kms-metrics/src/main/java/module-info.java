/**
 * Micrometer meters for a kmsj host (requests by outcome, counts, latency, connections, store and
 * DNS publishing), as an optional module so that kms-core gains no Micrometer dependency.
 */
module io.github.kmsj.metrics {
  requires transitive io.github.kmsj.core;
  requires transitive micrometer.core;

  exports io.github.kmsj.metrics;
}
