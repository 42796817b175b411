package io.github.kmsj.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.catalog.Sku;
import io.github.kmsj.core.client.ActivationResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every fixture is what kms-core's built-in catalog says, and a default host answers it. */
@KmsTest(inProcess = true)
final class TestProductTest {
  private static final ProductCatalog CATALOG = ProductCatalog.builtIn();

  @ParameterizedTest
  @EnumSource(TestProduct.class)
  void fixture_matchesTheBuiltInCatalog(TestProduct product) {
    Sku sku = CATALOG.sku(product.skuId()).orElseThrow(() -> new AssertionError("no SKU"));
    KmsCountedProduct counted = CATALOG.kmsCountedId(product.kmsCountedId()).orElseThrow();
    assertEquals(counted.applicationId(), product.applicationId());
    assertEquals(counted.requiredClientCount(), product.requiredClientCount());
    assertEquals(counted.protocolMajorVersion(), product.version().major());
    assertFalse(counted.isDoubtful(), "a fixture sends an established or corroborated ID");
    KmsCountedProduct skuGroup = CATALOG.kmsCountedId(sku.kmsCountedId()).orElseThrow();
    assertEquals(skuGroup.applicationId(), counted.applicationId(), sku.name());
  }

  @ParameterizedTest
  @EnumSource(TestProduct.class)
  void fixture_isAnsweredByADefaultHost(TestProduct product, KmsTestHost kms) {
    ActivationResult first = kms.activate(product);
    assertTrue(
        first instanceof ActivationResult.BelowThreshold
            || product.requiredClientCount() == 1 && first.isActivated(),
        first::toString);
    assertEquals(1, kms.count(product));
  }
}
