/**
 * KMS host discovery through {@code _vlmcs._tcp} SRV records (RFC 2782) and publishing of a host's
 * own record by RFC 2136 dynamic update. The API takes dnsjava {@code Resolver}s and implements
 * kms-core's {@code KmsHostLocator}, hence the transitive requires.
 */
module io.github.kmsj.dns {
  requires transitive io.github.kmsj.core;
  requires transitive org.dnsjava;
  requires org.slf4j;

  exports io.github.kmsj.dns;
  exports io.github.kmsj.dns.migrate;
}
