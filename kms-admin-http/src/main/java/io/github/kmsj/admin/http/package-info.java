/**
 * The HTTP admin endpoint of a kmsj host: {@link io.github.kmsj.admin.http.AdminHttpServer} serves
 * a JSON API over the host's admin surface, {@code GET /metrics} (Prometheus text format, from
 * kms-metrics' meters), {@code GET /healthz} (a real activation against the host's own KMS listener
 * with the uncounted probe CMID) and a self-contained status page at {@code GET /}. Everything but
 * the health check and the metrics needs the bearer {@link io.github.kmsj.admin.http.AdminToken}.
 * docs/ADMIN-HTTP.md is the API reference.
 */
package io.github.kmsj.admin.http;
