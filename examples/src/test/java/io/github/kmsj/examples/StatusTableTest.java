package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Names from the wire are escaped before they reach a table. */
final class StatusTableTest {
  @Test
  void printable_newlineAndEscapeInAName_cannotForgeARow() {
    String forged = "pc1\n6b6d736a-0000  evil-row\u001b[2J";
    String shown = StatusTable.printable(forged);
    assertFalse(shown.contains("\n"));
    assertFalse(shown.contains("\u001b"));
    assertTrue(shown.contains("\\u000a") && shown.contains("\\u001b"), shown);
    assertEquals("plain-name.example.test", StatusTable.printable("plain-name.example.test"));
  }
}
