package io.github.kmsj.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kms-protocol is a pure codec (module-info, STYLE.md): no sockets, threads, clocks, logging or
 * global randomness. A source-text scan of {@code src/main/java}, comments removed, with a
 * denylist.
 */
final class PurityTest {
  private static final List<Pattern> DENYLIST =
      Stream.of(
              "java\\.net\\b",
              "java\\.nio\\.channels",
              "\\bThread\\b",
              "currentTimeMillis",
              "nanoTime",
              "Instant\\s*\\.\\s*now",
              "LocalDateTime\\s*\\.\\s*now",
              "LocalDate\\s*\\.\\s*now",
              "\\bClock\\b",
              "java\\.util\\.logging",
              "org\\.slf4j",
              "System\\s*\\.\\s*(out|err)",
              "SecureRandom",
              "Math\\s*\\.\\s*random",
              "ThreadLocalRandom",
              "java\\.util\\.Random\\b",
              "new\\s+Random\\s*\\(",
              "\\bExecutor",
              "CompletableFuture",
              "\\bsynchronized\\b")
          .map(Pattern::compile)
          .toList();

  private static final Pattern BLOCK_COMMENT = Pattern.compile("(?s)/\\*.*?\\*/");
  private static final Pattern LINE_COMMENT = Pattern.compile("//[^\\n]*");

  static String withoutComments(String source) {
    return LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(source).replaceAll(" ")).replaceAll(" ");
  }

  @Test
  void mainSources_useNoIoThreadsClocksLoggingOrRandomness() throws IOException {
    Path main = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java");
    assertTrue(Files.isDirectory(main), "sources not found at " + main.toAbsolutePath());
    List<String> violations = new ArrayList<>();
    int files = 0;
    try (Stream<Path> paths = Files.walk(main)) {
      for (Path p : paths.filter(f -> f.toString().endsWith(".java")).toList()) {
        files++;
        String code = withoutComments(Files.readString(p));
        for (Pattern denied : DENYLIST) {
          if (denied.matcher(code).find()) {
            violations.add(main.relativize(p) + ": " + denied.pattern());
          }
        }
      }
    }
    assertTrue(files > 50, "scanned only " + files + " files");
    assertEquals(List.of(), violations);
  }

  @Test
  void scan_commentsRemoved_stillSeesCode() {
    String source =
        "/** uses {@link java.security.SecureRandom} */ class A { // Thread.sleep\n"
            + "  long t = System.currentTimeMillis(); }";
    String code = withoutComments(source);
    assertTrue(
        DENYLIST.stream()
            .noneMatch(p -> p.pattern().equals("SecureRandom") && p.matcher(code).find()));
    assertTrue(
        DENYLIST.stream().anyMatch(p -> p.matcher(code).find()),
        "currentTimeMillis must be caught");
  }
}
