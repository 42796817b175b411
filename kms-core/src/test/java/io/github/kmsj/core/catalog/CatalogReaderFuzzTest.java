package io.github.kmsj.core.catalog;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.kmsj.protocol.testing.FuzzInputs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link CatalogReader} through {@link ProductCatalog#load(InputStream)}
 * (docs/FUZZING.md): any bytes fail only with {@link CatalogException}.
 */
final class CatalogReaderFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void catalog_anyJson(byte[] data) {
    try {
      ProductCatalog catalog = ProductCatalog.load(new ByteArrayInputStream(data));
      catalog.applications();
    } catch (CatalogException expected) {
      // the only failure allowed
    }
  }

  /** Writes the seed corpus: the test's small catalog and the built-in one. */
  public static void main(String[] args) throws IOException {
    byte[] builtIn;
    try (InputStream in = ProductCatalog.class.getResourceAsStream("kms-catalog.json")) {
      builtIn = in.readAllBytes();
    }
    int n =
        FuzzInputs.writeSeeds(
            Path.of(args[0]),
            CatalogReaderFuzzTest.class.getName(),
            "catalog_anyJson",
            List.of(ProductCatalogTest.SMALL.getBytes(StandardCharsets.UTF_8), builtIn));
    System.out.println("wrote " + n + " seeds");
  }
}
