package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.protocol.message.Guid;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmsj host --store jdbc:postgresql://…} and {@code kmsj export}/{@code import --store}
 * against the real PostgreSQL test server ({@code .ci/pg/with-test-postgres.sh}): a file store's
 * state moves into the cluster and back, two hosts answer the union, bad options fail with one line
 * and the password is never printed.
 */
final class ClusterCliTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private String url;
  private String database;
  private Path credentials;

  @BeforeEach
  void database() throws Exception {
    String base = System.getenv("KMSJ_TEST_PG_URL");
    if (base == null && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "CI=true but no test PostgreSQL server (.ci/pg/with-test-postgres.sh)");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(base != null, "no test PostgreSQL server");
    database = "kmsj_cli" + ProcessHandle.current().pid();
    try (Connection c = DriverManager.getConnection(base, user(), password());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database);
      s.execute("CREATE DATABASE " + database);
    }
    url = base.substring(0, base.lastIndexOf('/') + 1) + database;
    credentials = tmp.resolve("db.credentials");
    Files.writeString(credentials, "user=" + user() + "\npassword=" + password() + "\n");
    Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
  }

  @AfterEach
  void drop() throws Exception {
    if (database != null) {
      try (Connection c =
              DriverManager.getConnection(System.getenv("KMSJ_TEST_PG_URL"), user(), password());
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  private static String user() {
    return System.getenv("KMSJ_TEST_PG_USER");
  }

  private static String password() {
    return System.getenv("KMSJ_TEST_PG_PASSWORD");
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return Kmsj.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String text() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  private static int count(ActivationResult r) {
    if (r instanceof ActivationResult.Activated a) {
      return a.currentClientCount();
    }
    if (r instanceof ActivationResult.BelowThreshold b) {
      return b.currentClientCount();
    }
    throw new AssertionError("not answered: " + r);
  }

  /** A Windows 10 Pro volume client (N 25). */
  private static ActivationRequest windows10(Guid cmid) {
    return ActivationRequest.builder()
        .version(6)
        .applicationId(Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f"))
        .skuId(Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588"))
        .kmsCountedId(Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148"))
        .requiredClientCount(25)
        .cmid(cmid)
        .build();
  }

  private static Guid cmid(int i) {
    return Guid.of(new UUID(0x0c11c11000000000L, 0x8000000000000000L | i));
  }

  @Test
  void fileStateIntoTheClusterAndBack_twoHostsAnswerTheUnion() throws Exception {
    KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(20)).build();
    Path data = tmp.resolve("file-data");
    HostRuntime file =
        HostCommand.build("--listen", "127.0.0.1:0", "--data-dir", data.toString()).start();
    try {
      for (int i = 1; i <= 3; i++) {
        count(client.activate(Target.of("127.0.0.1", file.server().port()), windows10(cmid(i))));
      }
    } finally {
      file.close(Duration.ofSeconds(1));
    }
    Path state = tmp.resolve("state.json");
    assertEquals(0, run("export", "--data-dir", data.toString(), "--out", state.toString()));
    assertEquals(
        0,
        run(
            "import",
            "--in",
            state.toString(),
            "--store",
            url,
            "--store-credentials",
            credentials.toString(),
            "--host-id",
            "a"),
        text());
    assertTrue(text().contains("imported 3 client record(s)"), text());

    // One kmsj host per JVM (its MBean name is fixed): host a, then host b on the same database.
    HostRuntime a = clusterHost("a");
    try {
      assertEquals(
          4, count(client.activate(Target.of("127.0.0.1", a.server().port()), windows10(cmid(4)))));
    } finally {
      a.close(Duration.ofSeconds(1));
    }
    HostRuntime b = clusterHost("b");
    try {
      assertEquals(
          5,
          count(client.activate(Target.of("127.0.0.1", b.server().port()), windows10(cmid(5)))),
          "b answers the count of the imported state, a's client and its own");
    } finally {
      b.close(Duration.ofSeconds(1));
    }

    Path back = tmp.resolve("back.json");
    assertEquals(
        0,
        run(
            "export",
            "--store",
            url,
            "--store-credentials",
            credentials.toString(),
            "--host-id",
            "a",
            "--out",
            back.toString()),
        text());
    assertTrue(text().contains("exported 5 client record(s)"), text());
    Path again = tmp.resolve("again");
    assertEquals(0, run("import", "--in", back.toString(), "--data-dir", again.toString()));
    assertEquals(0, run("status", "--data-dir", again.toString(), "--json"));
    assertTrue(
        text().contains("\"clientCount\" : 5") || text().contains("\"clientCount\":5"), text());
    assertFalse(text().contains(password()), "the password is never printed");
  }

  @Test
  void adminDlv_ofAClusterHost_showsTheClusterItsHostsAndTheirRequests() throws Exception {
    KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(20)).build();
    HostRuntime a = clusterHost("a", "--admin", "127.0.0.1:0");
    try {
      for (int i = 1; i <= 2; i++) {
        count(client.activate(Target.of("127.0.0.1", a.server().port()), windows10(cmid(i))));
      }
      String url = a.adminEndpoint().orElseThrow().url();
      Path token = tmp.resolve("log-a").resolve(AdminSetup.TOKEN_FILE);
      String json = "";
      for (int tries = 0; tries < 100 && !json.contains("\"requests\":2"); tries++) {
        Thread.sleep(50); // the host list comes with the store's refresh, every second
        assertEquals(
            0, run("admin", "--url", url, "--token-file", token.toString(), "--json", "dlv"));
        json = out.toString(StandardCharsets.UTF_8).replaceAll("\\s", "");
      }
      assertTrue(json.contains("\"cluster\":{\"databaseReachable\":true"), json);
      assertTrue(json.contains("\"hostId\":\"a\""), json);
      assertTrue(json.contains("\"requests\":2"), json);
      assertEquals(0, run("admin", "--url", url, "--token-file", token.toString(), "dlv"));
      String table = out.toString(StandardCharsets.UTF_8);
      assertTrue(
          table.contains("Cluster: database reachable, 0 change(s) in the local log"), table);
      assertTrue(table.contains("  host a: 2 requests, last seen "), table);
    } finally {
      a.close(Duration.ofSeconds(1));
    }
  }

  private HostRuntime clusterHost(String id, String... more) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "--listen",
                "127.0.0.1:0",
                "--store",
                url,
                "--store-credentials",
                credentials.toString(),
                "--host-id",
                id,
                "--data-dir",
                tmp.resolve("log-" + id).toString()));
    args.addAll(java.util.List.of(more));
    return HostCommand.build(args.toArray(new String[0])).start();
  }

  @Test
  void badStoreOptions_failWithOneLine() throws Exception {
    assertEquals(Kmsj.USAGE, run("host", "--store", url, "--listen", "127.0.0.1:0"));
    assertTrue(text().contains("--store needs --store-credentials FILE"), text());
    assertEquals(1, text().lines().count(), text());

    assertEquals(
        Kmsj.USAGE,
        run(
            "host",
            "--store",
            "jdbc:mysql://x/y",
            "--store-credentials",
            credentials.toString(),
            "--listen",
            "127.0.0.1:0"));
    assertTrue(text().contains("must be a jdbc:postgresql://"), text());

    Path open = tmp.resolve("open.credentials");
    Files.writeString(open, "user=u\npassword=secret-in-a-world-readable-file\n");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals(
        Kmsj.USAGE,
        run(
            "host",
            "--store",
            url,
            "--store-credentials",
            open.toString(),
            "--listen",
            "127.0.0.1:0"));
    assertTrue(text().contains(open + " must be readable by its owner only"), text());
    assertFalse(text().contains("secret-in-a-world-readable-file"), text());

    assertEquals(Kmsj.USAGE, run("host", "--store-credentials", credentials.toString()));
    assertTrue(text().contains("need --store URL"), text());
  }
}
