package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.List;
import java.util.Objects;

/**
 * A KMS counted ID: the product group a client names in {@code kmsCountedId}, with the N policy and
 * protocol its clients use (docs/PROTOCOL.md §9, §10).
 *
 * @param id the KMS counted ID
 * @param name a display name
 * @param aliases other names accepted by {@link ProductCatalog#findProductByName(String)}
 * @param applicationId the application whose CMID table counts its clients
 * @param requiredClientCount the N policy its clients send: 25 for Windows clients, 5 for servers
 *     and Office
 * @param protocolMajorVersion the protocol major version its clients speak by default (4–6)
 * @param guidStatus how well the GUID is established
 * @param retail whether this is a retail group, which genuine hosts refuse
 * @param preview whether this is a pre-release group, which genuine hosts refuse
 */
public record KmsCountedProduct(
    Guid id,
    String name,
    List<String> aliases,
    Guid applicationId,
    int requiredClientCount,
    int protocolMajorVersion,
    GuidStatus guidStatus,
    boolean retail,
    boolean preview) {

  /**
   * Checks the components; the N policy must be 1–1000 (a host refuses more) and the protocol 4–6.
   */
  public KmsCountedProduct {
    Objects.requireNonNull(id, "id");
    CatalogChecks.requireText(name, "name");
    aliases = CatalogChecks.copy(aliases, "aliases");
    aliases.forEach(a -> CatalogChecks.requireText(a, "alias"));
    Objects.requireNonNull(applicationId, "applicationId");
    CatalogChecks.requireRange(requiredClientCount, 1, 1000, "requiredClientCount");
    CatalogChecks.requireRange(protocolMajorVersion, 4, 6, "protocolMajorVersion");
    Objects.requireNonNull(guidStatus, "guidStatus");
  }

  /** Whether the GUID is a synthetic placeholder that a strict host distrusts. */
  public boolean isDoubtful() {
    return guidStatus.isDoubtful();
  }
}
