package io.github.kmsj.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class JsonLinesRequestLoggerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<RequestEvent> EVENTS = TestCalls.everyOutcomeEvents();

  @TempDir Path dir;

  private static List<JsonNode> parse(String text) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : text.split("\n")) {
      nodes.add(MAPPER.readTree(line));
    }
    return nodes;
  }

  private static String write(List<RequestEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonLinesRequestLogger logger = JsonLinesRequestLogger.toStream(out)) {
      events.forEach(logger::onRequest);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void toStream_everyOutcome_oneParsableObjectPerLine() throws IOException {
    String text = write(EVENTS);

    assertTrue(text.endsWith("\n"));
    List<JsonNode> nodes = parse(text);
    assertEquals(EVENTS.size(), nodes.size());
    List<String> hresults = nodes.stream().map(n -> n.get("hresult").asText()).toList();
    assertEquals(
        List.of(
            "0x00000000",
            "0x00000000",
            "0xC004F042",
            "0xC004F06C",
            "0x8007000D",
            "0x8007000D",
            "0x8007000D",
            "0x00000000"),
        hresults);
    assertTrue(nodes.get(7).get("probe").asBoolean());
    assertFalse(nodes.get(0).get("probe").asBoolean());
  }

  @Test
  void line_answered_hasDocumentedFields() throws IOException {
    RequestEvent e = EVENTS.get(0);
    JsonNode n = MAPPER.readTree(JsonLinesRequestLogger.line(e));

    assertEquals("2024-05-01T12:00:00Z", n.get("time").asText());
    assertEquals("answered", n.get("outcome").asText());
    assertEquals("S_OK", n.get("hresultName").asText());
    assertEquals(1, n.get("currentCount").asInt());
    assertEquals("ws-6f1c2a3b.example.test", n.get("workstationName").asText());
    assertEquals(TestCalls.cmid(1).toString(), n.get("cmid").asText());
    assertEquals("55c92734-d682-4d71-983e-d6ec3f16059f", n.get("applicationId").asText());
    assertEquals("2de67392-b7a7-462a-b1ca-108dd189f588", n.get("skuId").asText());
    assertEquals("58e2134f-8e11-4d17-9cb2-91069c151148", n.get("kmsCountedId").asText());
    assertEquals(1, n.get("requiredClientCount").asInt());
    assertEquals(2, n.get("licenseStatus").asInt());
    assertEquals("OOB grace", n.get("licenseStatusName").asText());
    assertEquals(43200, n.get("bindingExpirationMinutes").asInt());
    assertEquals(TestCalls.NOW.toString(), n.get("clientTime").asText(), "12290's client time");
    assertFalse(n.get("clientVm").asBoolean());
    assertEquals("192.0.2.7:50123", n.get("remote").asText());
    assertEquals("6.0", n.get("protocolVersion").asText());
    assertEquals(e.groupId().orElseThrow(), n.get("groupId").asText());
    assertFalse(n.has("reason"));
    assertEquals(e.processingTime().toNanos() / 1000, n.get("processingMicros").asLong());
  }

  @Test
  void line_undecodable_leavesOutAbsentFields() throws IOException {
    JsonNode n = MAPPER.readTree(JsonLinesRequestLogger.line(EVENTS.get(5)));

    assertEquals("refused", n.get("outcome").asText());
    assertEquals("ERROR_INVALID_DATA", n.get("hresultName").asText());
    assertFalse(n.has("cmid"));
    assertFalse(n.has("protocolVersion"));
    assertTrue(n.get("reason").asText().startsWith("undecodable"));
  }

  @Test
  void line_workstationNameWithNewline_staysOneLine() throws IOException {
    byte[] line =
        JsonLinesRequestLogger.line(Slf4jRequestLoggerTest.withName(EVENTS.get(0), "a\nb\"c"));

    String text = new String(line, StandardCharsets.UTF_8);
    assertEquals(text.length() - 1, text.indexOf('\n'));
    assertEquals("a\nb\"c", MAPPER.readTree(text).get("workstationName").asText());
  }

  @Test
  void toFile_pastMaxBytes_rotatesAndKeepsMaxFiles() throws IOException {
    Path file = dir.resolve("requests.jsonl");
    int lineLength = JsonLinesRequestLogger.line(EVENTS.get(0)).length;
    RequestEvent e = EVENTS.get(0);
    try (JsonLinesRequestLogger logger = JsonLinesRequestLogger.toFile(file, 2L * lineLength, 2)) {
      for (int i = 0; i < 7; i++) {
        logger.onRequest(e);
      }
    }

    assertEquals(1, Files.readAllLines(file).size());
    assertEquals(2, Files.readAllLines(dir.resolve("requests.jsonl.1")).size());
    assertEquals(2, Files.readAllLines(dir.resolve("requests.jsonl.2")).size());
    assertFalse(Files.exists(dir.resolve("requests.jsonl.3")));
    for (Path p : List.of(file, dir.resolve("requests.jsonl.1"), dir.resolve("requests.jsonl.2"))) {
      assertTrue(Files.size(p) <= 2L * lineLength);
      parse(Files.readString(p));
    }
  }

  @Test
  void toFile_existingFile_appendsAndCountsItsSize() throws IOException {
    Path file = dir.resolve("requests.jsonl");
    int lineLength = JsonLinesRequestLogger.line(EVENTS.get(0)).length;
    try (JsonLinesRequestLogger logger = JsonLinesRequestLogger.toFile(file, 2L * lineLength, 1)) {
      logger.onRequest(EVENTS.get(0));
    }
    try (JsonLinesRequestLogger logger = JsonLinesRequestLogger.toFile(file, 2L * lineLength, 1)) {
      logger.onRequest(EVENTS.get(0));
      logger.onRequest(EVENTS.get(0));
    }

    assertEquals(1, Files.readAllLines(file).size());
    assertEquals(2, Files.readAllLines(dir.resolve("requests.jsonl.1")).size());
  }

  @Test
  void toFile_lineLongerThanMaxBytes_writtenAloneToAFreshFile() throws IOException {
    Path file = dir.resolve("requests.jsonl");
    try (JsonLinesRequestLogger logger = JsonLinesRequestLogger.toFile(file, 10, 3)) {
      logger.onRequest(EVENTS.get(0));
      logger.onRequest(EVENTS.get(1));
    }

    assertEquals(1, Files.readAllLines(file).size());
    assertEquals(1, Files.readAllLines(dir.resolve("requests.jsonl.1")).size());
  }

  @Test
  void onRequest_concurrentWriters_linesNeverInterleave() throws Exception {
    Path file = dir.resolve("requests.jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (JsonLinesRequestLogger logger = JsonLinesRequestLogger.toFile(file, 1 << 20, 1)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    logger.onRequest(EVENTS.get(i % EVENTS.size()));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
    }

    assertEquals(800, parse(Files.readString(file)).size());
  }

  @Test
  void onRequest_afterClose_throws() {
    JsonLinesRequestLogger logger = JsonLinesRequestLogger.toFile(dir.resolve("r.jsonl"), 1000, 1);
    logger.close();
    logger.close();

    assertThrows(IllegalStateException.class, () -> logger.onRequest(EVENTS.get(0)));
  }

  @Test
  void onRequest_fileDeletedDirectory_throwsUncheckedIo() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("gone"));
    Path file = sub.resolve("r.jsonl");
    try (JsonLinesRequestLogger logger = JsonLinesRequestLogger.toFile(file, 10, 1)) {
      logger.onRequest(EVENTS.get(0));
      Files.delete(sub.resolve("r.jsonl"));
      Files.delete(sub);

      assertThrows(UncheckedIOException.class, () -> logger.onRequest(EVENTS.get(0)));
    }
  }

  @Test
  void toFile_invalidLimits_rejectedWithValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JsonLinesRequestLogger.toFile(dir.resolve("r"), 0, 1));
    assertEquals("maxBytes must be at least 1: 0", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> JsonLinesRequestLogger.toFile(dir.resolve("r"), 10, 0));
  }
}
