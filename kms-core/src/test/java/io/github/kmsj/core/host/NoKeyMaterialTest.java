package io.github.kmsj.core.host;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.kmsj.protocol.crypto.KmsHashes;
import io.github.kmsj.protocol.message.Filetime;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * No request log line, SLF4J or JSON, carries an AES key, the V4 hash key or the V6 HMAC key of a
 * request.
 */
final class NoKeyMaterialTest {
  private static final List<String> KEYS =
      List.of(
          "cd7e796f2ab25dcb55ffc8ef8364c470", // V5 AES key
          "a94a4195e201432d9bcb460405d84a21", // V6 AES key
          "053d8307f9e5f088eb5ea6686cf037c7e4efd2d6", // V4 hash key
          HexFormat.of().formatHex(KmsHashes.v6HmacKey(Filetime.of(TestCalls.NOW).value())));

  @Test
  void everyOutcome_logLinesCarryNoKeyHex() {
    for (RequestEvent e : TestCalls.everyOutcomeEvents()) {
      String slf4j = Slf4jRequestLogger.format(e).toLowerCase(Locale.ROOT);
      String json =
          new String(JsonLinesRequestLogger.line(e), StandardCharsets.UTF_8)
              .toLowerCase(Locale.ROOT);
      String record = e.toString().toLowerCase(Locale.ROOT);
      for (String key : KEYS) {
        assertFalse(slf4j.contains(key), slf4j);
        assertFalse(json.contains(key), json);
        assertFalse(record.contains(key), record);
      }
    }
  }
}
