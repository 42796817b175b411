package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.host.KmsHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's sample, compiled and run as a user's modular project would. */
final class ReadmeSampleTest {

  @Test
  void readmeSample_onModulePath_getsBelowThresholdWithCountOne() {
    assertEquals("com.example.consumer", ReadmeSample.class.getModule().getName());
    assertEquals("io.github.kmsj.core", KmsHost.class.getModule().getName());

    ActivationResult result = ReadmeSample.run();

    ActivationResult.BelowThreshold below =
        assertInstanceOf(ActivationResult.BelowThreshold.class, result);
    assertEquals(1, below.currentClientCount());
    assertEquals(25, below.requiredClientCount());
  }

  @Test
  void readmeSample_sameLinesAsReadme() throws IOException {
    List<String> readme =
        section(
            Files.readAllLines(Path.of(System.getProperty("kmsj.readme"))),
            "## A host and a client in ten lines",
            "```java",
            "```");
    List<String> sample =
        section(
            Files.readAllLines(Path.of("src/main/java/com/example/consumer/ReadmeSample.java")),
            "README sample begin",
            "",
            "README sample end");
    // The sample returns its result and listens on a free port; otherwise it is the README's text.
    List<String> ours =
        sample.stream()
            .filter(line -> !line.strip().equals("return result;"))
            .map(line -> line.replace(", 0))", ", 1688))"))
            .map(line -> line.replace("server.port()", "1688"))
            .collect(Collectors.toList());
    assertTrue(readme.size() > 10, "README sample not found: " + readme);
    assertEquals(readme, ours);
  }

  /** The lines after {@code start}, then after {@code open}, up to {@code close}, de-indented. */
  private static List<String> section(List<String> lines, String start, String open, String close) {
    int i = 0;
    while (!lines.get(i).contains(start)) {
      i++;
    }
    i++;
    while (!open.isEmpty() && !lines.get(i).strip().equals(open)) {
      i++;
    }
    if (!open.isEmpty()) {
      i++;
    }
    int end = i;
    while (!lines.get(end).strip().equals(close) && !lines.get(end).contains(close)) {
      end++;
    }
    List<String> body = lines.subList(i, end);
    int indent =
        body.stream()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    return body.stream().map(line -> line.substring(Math.min(indent, line.length()))).toList();
  }
}
