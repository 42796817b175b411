package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.admin.HostAdmin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmsj host}'s saved configuration: flags and run-time changes are written to the data
 * directory, and a restart with only {@code --data-dir} comes back with every setting.
 */
final class SavedConfigTest {
  @TempDir Path tmp;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void restart_onlyDataDir_restoresFlagsAndRunTimeChanges() throws Exception {
    Path data = tmp.resolve("data");
    int port = freePort();
    HostRuntime first =
        HostCommand.build(
                "--data-dir",
                data.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--groups",
                "windows-server-2022,office-ltsc-2024",
                "--activation-interval",
                "60",
                "--renewal-interval",
                "1440",
                "--max-connections",
                "500",
                "--strict",
                "--low-priority")
            .start();
    int moved = freePort();
    try {
      HostAdmin admin = first.admin();
      admin.setRenewalInterval(Duration.ofMinutes(90), "cli");
      admin.setPort(moved, "cli");
      admin.setLowPriority(false, "cli");
    } finally {
      first.close();
    }
    String text = Files.readString(data.resolve(SavedConfig.FILE_NAME));
    assertTrue(text.contains("renewal-interval = 90"), text);

    HostRuntime second = HostCommand.build("--data-dir", data.toString()).start();
    try {
      assertEquals(moved, second.server().port());
      assertEquals(
          List.of("windows-server-2022", "office-ltsc-2024"),
          second.host().settings().hostKeyGroups());
      assertEquals(Duration.ofMinutes(60), second.host().activationInterval());
      assertEquals(Duration.ofMinutes(90), second.host().renewalInterval());
      assertTrue(second.host().settings().strictCoverage());
      assertEquals(500, second.server().settings().maxConnections());
      assertFalse(second.server().isLowPriority());
      assertEquals("127.0.0.1:" + moved, second.admin().view().listening().get(0));
    } finally {
      second.close();
    }
  }

  @Test
  void restart_commandLineFlag_overridesTheSavedFile() throws Exception {
    Path data = tmp.resolve("data");
    HostCommand.build(
            "--data-dir", data.toString(), "--listen", "127.0.0.1:0", "--renewal-interval", "100")
        .start()
        .close();
    HostCommand again =
        HostCommand.parse("--data-dir", data.toString(), "--renewal-interval", "200");
    assertEquals(200, again.renewalInterval);
    assertEquals(List.of("127.0.0.1:0"), again.listen);
  }

  @Test
  void savedFile_handEditedBadValue_oneLineErrorNamingFileLineAndOption() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    Path file = data.resolve(SavedConfig.FILE_NAME);
    Files.writeString(file, "# edited\nlisten = 127.0.0.1:0\nrenewal-interval = 5\n");
    UsageException e =
        assertThrows(UsageException.class, () -> HostCommand.parse("--data-dir", data.toString()));
    assertTrue(e.getMessage().startsWith(file + " line 3: renewal-interval = 5: "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    Files.writeString(file, "port = many\n");
    UsageException notNumber =
        assertThrows(UsageException.class, () -> HostCommand.parse("--data-dir", data.toString()));
    assertTrue(
        notNumber.getMessage().startsWith(file + " line 1: port = many: "), notNumber.getMessage());
    assertEquals("port = many\n", Files.readString(file), "the bad file is left as it was");
  }
}
