package io.github.kmsj.core.client;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.protocol.message.Guid;
import java.time.Instant;
import java.util.UUID;

/** Products and values shared by the client tests. */
final class ClientFixtures {
  static final ProductCatalog CATALOG = ProductCatalog.builtIn();

  /** Windows 10/11 volume: N 25. */
  static final KmsCountedProduct WINDOWS_10 =
      CATALOG.kmsCountedId(Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148")).orElseThrow();

  /** Windows Server 2019: N 5. */
  static final KmsCountedProduct SERVER_2019 =
      CATALOG.kmsCountedId(Guid.parse("8449b1fb-f0ea-497a-99ab-66ca96e9a0f5")).orElseThrow();

  /** Windows 10 retail: a genuine host refuses it with 0xC004F042. */
  static final KmsCountedProduct WINDOWS_10_RETAIL =
      CATALOG.kmsCountedId(Guid.parse("e1c51358-fe3e-4203-a4a2-3b6b20c9734e")).orElseThrow();

  static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");

  private ClientFixtures() {}

  static Guid cmid(int i) {
    return Guid.of(new UUID(0x6f1c2a3b4d5e4f60L, 0x8a7b000000000000L | i));
  }

  static ActivationRequest request(KmsCountedProduct product, int cmid) {
    return ActivationRequest.forProduct(CATALOG, product).cmid(cmid(cmid)).build();
  }

  static ActivationRequest request(KmsCountedProduct product, int version, int cmid) {
    return ActivationRequest.forProduct(CATALOG, product).version(version).cmid(cmid(cmid)).build();
  }
}
