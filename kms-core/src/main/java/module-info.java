/**
 * The KMS host and client. Minimal descriptor written on the {@code dns} branch so that kms-dns can be
 * a named module; the full descriptor (owned by kms-core) replaces it at merge and must keep exporting
 * {@code io.github.kmsj.core.client}.
 */
module io.github.kmsj.core {
  exports io.github.kmsj.core.client;
}
