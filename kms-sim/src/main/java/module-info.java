/**
 * The fleet simulator: a KMS deployment over months on one virtual clock, with kms-core's real host
 * policy, client ledger and client lifecycle, and no sockets (docs/SIMULATOR.md). Scenarios are
 * YAML files bound to records, hence Jackson's YAML format and the package opened to databind.
 */
module io.github.kmsj.sim {
  requires transitive io.github.kmsj.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;

  exports io.github.kmsj.sim;

  opens io.github.kmsj.sim to
      com.fasterxml.jackson.databind;
}
