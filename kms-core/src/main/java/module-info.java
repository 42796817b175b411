/**
 * The KMS host and client SDK: product catalog, the client ledger, the host policy, the host,
 * client, persistence and the TCP transport. Owns time and threads ({@code core.time}): every
 * stateful call takes an {@code Instant now} read once at the edge, and timers go through one
 * injectable {@code Scheduler}.
 */
module io.github.kmsj.core {
  requires transitive io.github.kmsj.protocol;
  requires org.slf4j;
  // Host counters as MXBeans; core.management's API names ObjectName and MBeanServer.
  requires transitive java.management;
  // The catalog is read through Jackson's tree model; nothing is bound reflectively, so nothing is
  // opened.
  requires com.fasterxml.jackson.databind;
  // py-kms's KmsDataBase.xml is read with StAX (CatalogImport).
  requires java.xml;

  exports io.github.kmsj.core;
  exports io.github.kmsj.core.admin;
  exports io.github.kmsj.core.catalog;
  exports io.github.kmsj.core.client;
  exports io.github.kmsj.core.ledger;
  exports io.github.kmsj.core.host;
  exports io.github.kmsj.core.management;
  exports io.github.kmsj.core.policy;
  exports io.github.kmsj.core.store;
  exports io.github.kmsj.core.time;
  exports io.github.kmsj.core.transport;
}
