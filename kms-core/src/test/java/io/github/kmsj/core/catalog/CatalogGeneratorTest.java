package io.github.kmsj.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks that the committed catalog resource is exactly what {@code tools/catalog/build-catalog.py}
 * makes of the research files in {@code src/test/resources/catalog}, so that an edit of either side
 * without the other is caught.
 */
final class CatalogGeneratorTest {

  private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private static final Path SCRIPT = MODULE.getParent().resolve("tools/catalog/build-catalog.py");
  private static final Path RESOURCE =
      MODULE.resolve("src/main/resources/io/github/kmsj/core/catalog/kms-catalog.json");

  /**
   * Skips locally when python3, the one prerequisite outside the repository, is missing; fails on
   * CI, where everything must be present.
   */
  private static void require(boolean condition, String what) {
    if (!condition) {
      if ("true".equals(System.getenv("CI"))) {
        fail(what);
      }
      Assumptions.abort(what);
    }
  }

  /**
   * The folder of {@code catalog/kms-catalog.json} and {@code catalog/coverage.json} on the class
   * path.
   */
  private static Path researchFiles() {
    URL coverage = CatalogGeneratorTest.class.getResource("/catalog/coverage.json");
    assertNotNull(
        coverage, "catalog/coverage.json not on the test class path (src/test/resources)");
    try {
      Path dir = Path.of(coverage.toURI()).getParent();
      assertTrue(
          Files.isRegularFile(dir.resolve("kms-catalog.json")),
          "kms-catalog.json missing in " + dir);
      return dir;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(coverage.toString(), e);
    }
  }

  @Test
  void committedResource_regeneratedFromResearchFiles_isIdentical()
      throws IOException, InterruptedException {
    Path catalog = researchFiles();
    assertTrue(Files.isRegularFile(SCRIPT), "generator not found: " + SCRIPT);

    Process process;
    try {
      process =
          new ProcessBuilder(
                  "python3", SCRIPT.toString(), "--catalog", catalog.toString(), "--out", "-")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      require(false, "python3 cannot be started: " + e.getMessage());
      return;
    }
    byte[] output;
    try (InputStream in = process.getInputStream()) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      in.transferTo(buffer);
      output = buffer.toByteArray();
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("build-catalog.py did not finish within 60 s");
    }
    assertEquals(0, process.exitValue(), "build-catalog.py failed");

    assertEquals(
        Files.readString(RESOURCE, StandardCharsets.UTF_8),
        new String(output, StandardCharsets.UTF_8),
        "the committed catalog differs from the generator's output; run python3 tools/catalog/build-catalog.py and commit");
  }
}
