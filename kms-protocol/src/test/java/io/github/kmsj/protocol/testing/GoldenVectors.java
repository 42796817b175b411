package io.github.kmsj.protocol.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Loads the golden vectors from the shared folder named by the system property {@code
 * kmsj.shared.dir} (Surefire sets it to {@code <root>/../shared}).
 *
 * <p>When the folder is missing, tests that need it are skipped through JUnit assumptions, except
 * on CI (environment {@code CI=true}), where a missing folder fails them: CI must never pass by
 * skipping the vectors.
 */
public final class GoldenVectors {
  /** The system property naming the shared folder. */
  public static final String SHARED_DIR_PROPERTY = "kmsj.shared.dir";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static volatile List<GoldenVector> all;

  private GoldenVectors() {}

  /** The shared folder; skips the calling test (or fails it on CI) when it is not there. */
  public static Path sharedDir() {
    String property = System.getProperty(SHARED_DIR_PROPERTY);
    Path dir = property == null || property.isBlank() ? null : Path.of(property);
    if (dir == null || !Files.isDirectory(dir.resolve("vectors"))) {
      String why =
          property == null
              ? "system property " + SHARED_DIR_PROPERTY + " is not set"
              : "no vectors folder under " + SHARED_DIR_PROPERTY + "=" + property;
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail("golden vectors are required on CI (CI=true): " + why);
      }
      Assumptions.abort("golden vectors not available: " + why);
    }
    return dir;
  }

  /** {@code <shared>/vectors}. */
  public static Path vectorsDir() {
    return sharedDir().resolve("vectors");
  }

  /**
   * Every exchange vector (every {@code *.json} under {@code vectors/} except {@code crypto/}),
   * sorted by name.
   */
  public static List<GoldenVector> all() {
    List<GoldenVector> cached = all;
    if (cached == null) {
      Path dir = vectorsDir();
      try (Stream<Path> files = Files.walk(dir)) {
        cached =
            files
                .filter(p -> p.toString().endsWith(".json"))
                .filter(p -> !dir.relativize(p).startsWith("crypto"))
                .map(GoldenVectors::read)
                .sorted(Comparator.comparing(GoldenVector::name))
                .toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      all = cached;
    }
    return cached;
  }

  /** The vector named {@code <area>/<name>}, for example {@code vlmcsd/v6-ndr32-nobtfn}. */
  public static GoldenVector load(String name) {
    Path file = vectorsDir().resolve(name + ".json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no golden vector " + name + " at " + file);
    }
    return read(file);
  }

  /** {@code vectors/crypto/known-answers.json}. */
  public static Path knownAnswersFile() {
    return vectorsDir().resolve("crypto").resolve("known-answers.json");
  }

  private static GoldenVector read(Path file) {
    try {
      GoldenVector v = MAPPER.readValue(file.toFile(), GoldenVector.class);
      String expected =
          vectorsDir().relativize(file).toString().replace('\\', '/').replaceAll("\\.json$", "");
      if (!expected.equals(v.name())) {
        throw new IllegalStateException(file + " names itself " + v.name());
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden vector " + file, e);
    }
  }
}
