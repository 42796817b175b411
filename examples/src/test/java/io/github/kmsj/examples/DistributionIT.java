package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an administrator gets it: the built {@code .tar.gz} unpacked into a temporary
 * directory, {@code bin/kmsj} started as a child process (a host on loopback, a probe against it,
 * SIGTERM and its exit status), the launcher's Java check, and {@code systemd-analyze verify} on
 * the unit.
 */
final class DistributionIT {
  private static final long TIMEOUT_SECONDS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  private static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("kmsj.dist.archive"));
    assertTrue(Files.isRegularFile(archive), "built by mvn package: " + archive);
    Result untar = exec(List.of("tar", "-xzf", archive.toString(), "-C", tmp.toString()), Map.of());
    assertEquals(0, untar.status(), untar.err());
    home = tmp.resolve(System.getProperty("kmsj.dist.name"));
  }

  @Test
  void archive_holdsLauncherJarsUnitAndConfiguration_zipTheSame() throws Exception {
    assertTrue(Files.isExecutable(home.resolve("bin/kmsj")));
    for (String f :
        List.of(
            "etc/kmsj-host.service",
            "etc/kmsj.conf",
            "etc/kmsj.env",
            "scenarios/migration.yaml",
            "LICENSE",
            "README.md")) {
      assertTrue(Files.isRegularFile(home.resolve(f)), f);
    }
    Set<String> jars = new TreeSet<>();
    try (var s = Files.list(home.resolve("lib"))) {
      s.forEach(p -> jars.add(p.getFileName().toString()));
    }
    for (String prefix :
        List.of(
            "kmsj-examples-", "kms-core-", "kms-protocol-", "kms-dns-", "kms-sim-", "picocli-")) {
      assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix)), prefix + " in " + jars);
    }
    Result list = exec(List.of("tar", "-tzf", System.getProperty("kmsj.dist.archive")), Map.of());
    Set<String> inTar = new TreeSet<>();
    list.out().lines().filter(l -> !l.endsWith("/")).forEach(inTar::add);
    Set<String> inZip = new TreeSet<>();
    try (ZipFile zip = new ZipFile(System.getProperty("kmsj.dist.zip"))) {
      Collections.list(zip.entries()).stream()
          .filter(e -> !e.isDirectory())
          .forEach(e -> inZip.add(e.getName()));
    }
    assertEquals(inTar, inZip);
  }

  @Test
  void launcher_simulate_runsABundledScenario() throws Exception {
    Result r =
        exec(
            List.of(
                kmsj(), "simulate", home.resolve("scenarios/new-host-threshold.yaml").toString()),
            javaHome());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("74 licensed (100.0%)"), r.out());
  }

  @Test
  void launcher_version_isTheProjectVersion() throws Exception {
    Result r = exec(List.of(kmsj(), "--version"), javaHome());
    assertEquals(0, r.status(), r.err());
    assertEquals("kmsj " + System.getProperty("kmsj.dist.name").substring(5), r.out().strip());
  }

  @Test
  void launcher_oldOrMissingJava_clearErrorStatus1() throws Exception {
    Path fake = tmp.resolve("java11");
    Files.createDirectories(fake.resolve("bin"));
    Path java = fake.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
    java.toFile().setExecutable(true);
    Result old = exec(List.of(kmsj(), "--version"), Map.of("JAVA_HOME", fake.toString()));
    assertEquals(1, old.status());
    assertTrue(old.err().contains("is Java 11.0.2; kmsj needs Java 17 or newer"), old.err());
    Result none = exec(List.of(kmsj(), "--version"), Map.of("JAVA_HOME", "/nonexistent"));
    assertEquals(1, none.status());
    assertTrue(none.err().contains("JAVA_HOME is /nonexistent"), none.err());
  }

  @Test
  void host_answersAProbe_drainsOnSigtermAndExits0() throws Exception {
    Path data = tmp.resolve("data");
    Path conf = tmp.resolve("host.conf");
    Files.writeString(conf, "listen = 127.0.0.1:0\ndata-dir = " + data + "\nlog-level = warn\n");
    ProcessBuilder pb =
        new ProcessBuilder(kmsj(), "host", "--config", conf.toString(), "--drain-timeout", "2");
    pb.environment().putAll(javaHome());
    Process host = pb.start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(host.getErrorStream()));
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> readLine(out));
      String line = first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+), data in ").matcher(line);
      assertTrue(m.find(), line);
      String target = "127.0.0.1:" + m.group(1);

      Result probe = exec(List.of(kmsj(), "probe", target, "--random-cmid", "--json"), javaHome());
      assertEquals(0, probe.status(), probe.err());
      JsonNode doc = JSON.readTree(probe.out());
      assertEquals("belowThreshold", doc.at("/results/0/outcome").asText());
      assertEquals(target, doc.at("/results/0/host").asText());

      host.destroy(); // SIGTERM
      assertTrue(host.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the host stops");
      assertEquals(
          0,
          host.exitValue(),
          "a drained host exits 0, not 143: " + new String(err.get(), StandardCharsets.UTF_8));
    } finally {
      host.destroyForcibly();
    }
    Result status =
        exec(List.of(kmsj(), "status", "--data-dir", data.toString(), "--json"), javaHome());
    assertEquals(0, status.status(), status.err());
    assertEquals(
        1, JSON.readTree(status.out()).get("clientCount").asInt(), "the store was closed cleanly");
  }

  @Test
  void systemdUnit_passesSystemdAnalyzeVerify() throws Exception {
    boolean present =
        exec(List.of("sh", "-c", "command -v systemd-analyze"), Map.of()).status() == 0;
    if (!present) {
      if ("true".equals(System.getenv("CI"))) {
        fail("systemd-analyze is missing (package systemd; .ci/run installs it)");
      }
      Assumptions.abort(
          "systemd-analyze is missing: install the systemd package to check the unit");
    }
    String unit = Files.readString(home.resolve("etc/kmsj-host.service"));
    assertTrue(unit.contains("ExecStart=/opt/kmsj/bin/kmsj host --config /etc/kmsj/kmsj.conf"));
    for (String line :
        List.of(
            "User=kmsj",
            "ProtectSystem=strict",
            "NoNewPrivileges=yes",
            "ReadWritePaths=/var/lib/kmsj",
            "StateDirectory=kmsj",
            "Restart=on-failure")) {
      assertTrue(unit.contains("\n" + line + "\n"), line);
    }
    Path copy = tmp.resolve("units/kmsj-host.service");
    Files.createDirectories(copy.getParent());
    Files.writeString(
        copy,
        unit.replace("/opt/kmsj/bin/kmsj", home.resolve("bin/kmsj").toString())
            .replace("/etc/kmsj/kmsj.conf", home.resolve("etc/kmsj.conf").toString())
            .replace("/etc/kmsj/kmsj.env", home.resolve("etc/kmsj.env").toString()));
    Result verify = exec(List.of("systemd-analyze", "verify", copy.toString()), Map.of());
    assertEquals(0, verify.status(), verify.out() + verify.err());
    assertEquals("", (verify.out() + verify.err()).strip(), "no warnings");
  }

  private static String kmsj() {
    return home.resolve("bin/kmsj").toString();
  }

  private static Map<String, String> javaHome() {
    return Map.of("JAVA_HOME", System.getProperty("java.home"));
  }

  private static String readLine(BufferedReader r) {
    try {
      String line = r.readLine();
      return line == null ? "(end of output)" : line;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private record Result(int status, String out, String err) {}

  private static Result exec(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + command);
    }
    return new Result(
        p.exitValue(),
        new String(out.get(), StandardCharsets.UTF_8),
        new String(err.get(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
