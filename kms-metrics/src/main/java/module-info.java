/**
 * Micrometer meters for a kmsj host (requests by outcome, counts, latency, connections, store and
 * DNS publishing), as an optional module so that kms-core gains no Micrometer dependency.
 */
// Micrometer's jars are automatic modules (Automatic-Module-Name only), and its types are part of
// this module's API, so they are required transitively all the same.
@SuppressWarnings("requires-transitive-automatic")
module io.github.kmsj.metrics {
  requires transitive io.github.kmsj.core;
  requires transitive micrometer.core;

  exports io.github.kmsj.metrics;
}
