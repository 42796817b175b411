package io.github.kmsj.protocol.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads the golden vectors from the test class path: {@code vectors/<area>/<name>.json}, committed
 * under {@code kms-protocol/src/test/resources/vectors/} and shipped to kms-core in this module's
 * test-jar.
 *
 * <p>The vectors are required: a missing folder, or an area with fewer files than were recorded
 * ({@link #MINIMUM_FILES}), fails every test that asks for them. Nothing is skipped.
 */
public final class GoldenVectors {
  /** The class-path folder that holds the vectors. */
  public static final String RESOURCE_ROOT = "vectors";

  /** The number of files recorded in each area (vectors/README.md "Index"); fewer fail the load. */
  public static final Map<String, Integer> MINIMUM_FILES =
      Map.of("cross", 8, "crypto", 1, "probes", 5, "pykms", 7, "vlmcsd", 20);

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static volatile Path root;
  private static volatile List<GoldenVector> all;

  private GoldenVectors() {}

  /**
   * The {@code vectors} folder on the class path (a directory, or a folder inside the test-jar),
   * checked against {@link #MINIMUM_FILES}.
   *
   * @throws IllegalStateException if the folder is missing or an area has fewer files than recorded
   */
  public static Path vectorsDir() {
    Path cached = root;
    if (cached == null) {
      cached = locate();
      checkCounts(cached);
      root = cached;
    }
    return cached;
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

  private static Path locate() {
    URL readme = GoldenVectors.class.getResource("/" + RESOURCE_ROOT + "/README.md");
    if (readme == null) {
      throw new IllegalStateException(
          "golden vectors not found on the test class path: expected "
              + RESOURCE_ROOT
              + "/README.md from kms-protocol/src/test/resources (or the kms-protocol test-jar)");
    }
    try {
      URI uri = readme.toURI();
      if ("jar".equals(uri.getScheme())) {
        try {
          FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException alreadyOpen) {
          // Another loader opened the same test-jar; Path.of(uri) finds that file system.
        }
      }
      return Path.of(uri).getParent();
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot open the golden vectors at " + readme, e);
    }
  }

  private static void checkCounts(Path dir) {
    Map<String, Long> found;
    try (Stream<Path> files = Files.walk(dir)) {
      found =
          files
              .filter(p -> p.toString().endsWith(".json"))
              .collect(
                  Collectors.groupingBy(
                      p -> dir.relativize(p).getName(0).toString(),
                      TreeMap::new,
                      Collectors.counting()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the golden vectors at " + dir, e);
    }
    MINIMUM_FILES.forEach(
        (area, minimum) -> {
          long count = found.getOrDefault(area, 0L);
          if (count < minimum) {
            throw new IllegalStateException(
                "golden vectors incomplete: "
                    + dir.resolve(area)
                    + " holds "
                    + count
                    + " files, at least "
                    + minimum
                    + " were recorded (found per area: "
                    + found
                    + ")");
          }
        });
  }

  private static GoldenVector read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      GoldenVector v = MAPPER.readValue(in, GoldenVector.class);
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
