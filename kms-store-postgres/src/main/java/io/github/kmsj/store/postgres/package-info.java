/**
 * A {@link io.github.kmsj.core.store.HostStore} on PostgreSQL that several kmsj hosts share: one
 * count per application for the cluster, client records and counters shared, group commit in one
 * round trip per batch, and a local write-ahead log that keeps the host answering through a
 * database outage. Start at {@link io.github.kmsj.store.postgres.PostgresHostStore}; the module
 * guide is docs/POSTGRESQL.md.
 */
package io.github.kmsj.store.postgres;
