package io.github.kmsj.dns.migrate;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.host.KmsHost;

/**
 * The requests every migration probe sends: the uncounted probe CMID ({@link KmsHost#PROBE_CMID})
 * and one fixed workstation name, so that a kmsj host never counts them and any other host counts
 * at most one machine per application, always the same one.
 */
final class ProbeRequests {
  /** The workstation name of every probe, so that a host's client list shows what it was. */
  static final String WORKSTATION = "kmsj-migrate-check.invalid";

  private ProbeRequests() {}

  static ActivationRequest.Builder forProduct(ProductCatalog catalog, KmsCountedProduct product) {
    return ActivationRequest.forProduct(catalog, product)
        .cmid(KmsHost.PROBE_CMID)
        .workstationName(WORKSTATION);
  }
}
