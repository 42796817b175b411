package io.github.kmsj.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's "Testing with kms-test" code block is {@link ActivationTest}'s marked region, line
 * for line, so the sample in the README is the one that compiles and runs.
 */
final class ReadmeTest {
  private static final String SECTION = "## Testing with kms-test";

  @Test
  void readmeSample_equalsActivationTestRegion() throws IOException {
    List<String> readme = Files.readAllLines(Path.of("../README.md"));
    List<String> source =
        Files.readAllLines(Path.of("src/test/java/io/github/kmsj/test/ActivationTest.java"));
    assertEquals(region(source), readmeBlock(readme));
  }

  private static List<String> region(List<String> source) {
    int begin = source.indexOf("// README sample: begin");
    int end = source.indexOf("// README sample: end");
    if (begin < 0 || end < begin) {
      throw new AssertionError("ActivationTest.java lost its README sample markers");
    }
    return source.subList(begin + 1, end);
  }

  private static List<String> readmeBlock(List<String> readme) {
    int section = readme.indexOf(SECTION);
    if (section < 0) {
      throw new AssertionError("README.md has no section '" + SECTION + "'");
    }
    int open = readme.subList(section, readme.size()).indexOf("```java") + section;
    int close = readme.subList(open + 1, readme.size()).indexOf("```") + open + 1;
    if (open < section || close <= open) {
      throw new AssertionError("no ```java block in README section '" + SECTION + "'");
    }
    return readme.subList(open + 1, close);
  }
}
