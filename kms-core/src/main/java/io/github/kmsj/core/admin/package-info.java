/**
 * The live administration of a running KMS host ({@link io.github.kmsj.core.admin.HostAdmin}): the
 * {@code slmgr /dlv}-like view, settings changed without a restart and audited, the client list
 * with its CSV form, a live export and an import under a new identity, and the SPI through which
 * DNS publishing is controlled. It sits above {@code core.host}, {@code core.transport}, {@code
 * core.store} and {@code core.management}; the CLI and the HTTP API are built on it.
 */
package io.github.kmsj.core.admin;
