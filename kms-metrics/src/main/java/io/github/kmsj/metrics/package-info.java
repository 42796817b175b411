/**
 * Micrometer meters for a kmsj host: {@link io.github.kmsj.metrics.KmsMetrics} is a {@code
 * MeterBinder} an embedder binds to the registry of their choice, fed per request by the {@link
 * io.github.kmsj.metrics.RequestMetrics} listener the host was built with, and by the server, store
 * and {@link io.github.kmsj.metrics.DnsPublishResults} handed to it. {@code kms-admin-http} serves
 * them at {@code GET /metrics} in Prometheus' text format.
 */
package io.github.kmsj.metrics;
