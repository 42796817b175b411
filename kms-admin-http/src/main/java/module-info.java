/**
 * The HTTP admin endpoint of a kmsj host on the JDK's {@code jdk.httpserver}: JSON API, Prometheus
 * metrics, health check and status page. An optional module, so kms-core gains no HTTP dependency.
 */
// Micrometer's jars are automatic modules (Automatic-Module-Name only), and its types are part of
// this module's API, so they are required transitively all the same.
@SuppressWarnings("requires-transitive-automatic")
module io.github.kmsj.admin.http {
  requires transitive io.github.kmsj.core;
  requires transitive io.github.kmsj.metrics;
  requires transitive micrometer.core;
  requires transitive micrometer.registry.prometheus;
  requires jdk.httpserver;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports io.github.kmsj.admin.http;
}
