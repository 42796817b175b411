package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.store.HostStateExporter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmsj status} after a crash, a live export from a running host, and {@code kmsj import
 * --new-identity}.
 */
final class StateLiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CliRun cli = new CliRun();
  @TempDir Path tmp;

  private int run(String... args) {
    return cli.run(args);
  }

  private String outText() {
    return cli.outText();
  }

  @Test
  void status_staleStatusFileOfACrashedHost_readsTheStoreInstead() throws Exception {
    Path data = tmp.resolve("data");
    HostRuntime host =
        HostCommand.build("--listen", "127.0.0.1:0", "--data-dir", data.toString()).start();
    try {
      assertEquals(
          0, run("probe", "127.0.0.1:" + host.server().port(), "--requests", "3", "--random-cmid"));
    } finally {
      host.close(Duration.ofSeconds(1));
    }
    // What a crashed host leaves: a status file from before its last requests, and no lock holder.
    Files.writeString(data.resolve(StateCommand.STATUS_JSON_FILE), "{\"clientCount\": 0}\n");
    Files.writeString(data.resolve(HostRuntime.STATUS_FILE), "stale: 0 clients\n");

    assertEquals(0, run("status", "--data-dir", data.toString(), "--json"));
    JsonNode status = JSON.readTree(outText());
    assertEquals(3, status.get("clientCount").asInt(), outText());
    assertEquals(0, run("status", "--data-dir", data.toString()));
    assertTrue(!outText().contains("stale"), outText());
  }

  @Test
  void exportLive_runningHost_importsIntoAHostWithTheSameCountAndNewIdentityDiffers()
      throws Exception {
    Path data = tmp.resolve("data");
    HostRuntime host =
        HostCommand.build("--listen", "127.0.0.1:0", "--data-dir", data.toString()).start();
    Path file = tmp.resolve("live.json");
    try {
      assertEquals(
          0, run("probe", "127.0.0.1:" + host.server().port(), "--requests", "4", "--random-cmid"));
      try (var os = Files.newOutputStream(file)) {
        host.admin().export(os); // no downtime: the host keeps answering
      }
      assertEquals(
          0, run("probe", "127.0.0.1:" + host.server().port(), "--requests", "1", "--random-cmid"));
    } finally {
      host.close(Duration.ofSeconds(1));
    }
    HostState exported;
    try (InputStream in = Files.newInputStream(file)) {
      exported = new HostStateExporter().read(in);
    }

    Path same = tmp.resolve("same");
    assertEquals(0, run("import", "--data-dir", same.toString(), "--in", file.toString()));
    Path fresh = tmp.resolve("fresh");
    assertEquals(
        0,
        run("import", "--data-dir", fresh.toString(), "--in", file.toString(), "--new-identity"));
    // A renewal of a client the export holds: the count it is answered with is the export's.
    String known = exported.ledger().clients().get(0).cmid().toString();
    int exportedCount = exported.ledger().counts().values().iterator().next();
    assertEquals(4, exportedCount);
    for (Path dir : List.of(same, fresh)) {
      HostRuntime h =
          HostCommand.build("--listen", "127.0.0.1:0", "--data-dir", dir.toString()).start();
      try {
        assertEquals(0, run("probe", "127.0.0.1:" + h.server().port(), "--cmid", known, "--json"));
        assertEquals(
            exportedCount,
            JSON.readTree(outText()).at("/results/0/currentClientCount").asInt(),
            outText());
        if (dir.equals(same)) {
          assertEquals(exported.identity(), h.host().identity());
        } else {
          assertNotEquals(exported.identity().hwid(), h.host().identity().hwid());
          for (String group : exported.identity().ePids().keySet()) {
            assertNotEquals(
                exported.identity().ePid(group), h.host().identity().ePid(group), group);
          }
        }
      } finally {
        h.close();
      }
    }
  }

  @Test
  void export_ofARunningHostsDirectory_refusesInOneLineNamingTheLiveExport() throws Exception {
    Path data = tmp.resolve("busy");
    HostRuntime host =
        HostCommand.build("--listen", "127.0.0.1:0", "--data-dir", data.toString()).start();
    try {
      Path file = tmp.resolve("out.json");
      int status = run("export", "--data-dir", data.toString(), "--out", file.toString());
      assertNotEquals(0, status);
      String err = cli.errText();
      assertEquals(1, err.strip().lines().count(), err);
      assertTrue(err.contains("a host runs on"), err);
      assertTrue(err.contains("kmsj admin --url URL --token-file FILE export FILE"), err);
      assertTrue(!Files.exists(file), "nothing written");
    } finally {
      host.close(Duration.ofSeconds(1));
    }
  }
}
