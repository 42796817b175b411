package io.github.kmsj.store.postgres;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database on the real PostgreSQL server that {@code .ci/pg/with-test-postgres.sh} started
 * (its settings in {@code KMSJ_TEST_PG_*}), dropped when closed. Without the server a test is
 * skipped, except under {@code CI=true}, where it fails.
 */
final class TestDatabase implements AutoCloseable {
  private static final AtomicInteger NEXT = new AtomicInteger();

  final String url;
  final String name;
  final StoreCredentials credentials;

  private TestDatabase(String url, String name, StoreCredentials credentials) {
    this.url = url;
    this.name = name;
    this.credentials = credentials;
  }

  /** Whether the test server's settings are present. */
  static boolean isAvailable() {
    return System.getenv("KMSJ_TEST_PG_URL") != null;
  }

  /** Skips the test without a server, or fails it under {@code CI=true}. */
  static void require() {
    if (!isAvailable() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "CI=true but no test PostgreSQL server: run the build through"
              + " .ci/pg/with-test-postgres.sh (./test.sh does)");
    }
    assumeTrue(isAvailable(), "no test PostgreSQL server (.ci/pg/with-test-postgres.sh)");
  }

  /** A new empty database. */
  static TestDatabase create() {
    require();
    String base = System.getenv("KMSJ_TEST_PG_URL");
    StoreCredentials credentials =
        new StoreCredentials(
            System.getenv("KMSJ_TEST_PG_USER"), System.getenv("KMSJ_TEST_PG_PASSWORD"));
    String name = "kmsj_t" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    try (Connection c =
            DriverManager.getConnection(base, credentials.user(), credentials.password());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new AssertionError("cannot create test database " + name + ": " + e.getMessage(), e);
    }
    return new TestDatabase(base.substring(0, base.lastIndexOf('/') + 1) + name, name, credentials);
  }

  /** A plain data source of the database (the embedder's way). */
  PGSimpleDataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser(credentials.user());
    ds.setPassword(credentials.password());
    ds.setConnectTimeout(2);
    return ds;
  }

  /** A connection for the test's own queries. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, credentials.user(), credentials.password());
  }

  /** One long from a query. */
  long queryLong(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        var r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(sql + ": " + e.getMessage(), e);
    }
  }

  /** A credentials file for the command line, owner-only. */
  Path credentialsFile(Path dir) throws IOException {
    Path f = dir.resolve("db.credentials");
    Files.writeString(
        f, "user=" + credentials.user() + "\npassword=" + credentials.password() + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  /** Holds the server's port while it is stopped; null while it runs. */
  private static java.net.ServerSocket portHolder;

  /**
   * Stops the whole server (every test database), as an outage does. Until {@link #startServer} the
   * port stays taken by a listener that closes every connection at once (the clients see a server
   * that is down), so that a test server another build starts meanwhile cannot take it.
   */
  static synchronized void stopServer() {
    ctl("stop");
    String url = System.getenv("KMSJ_TEST_PG_URL");
    int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/.*", "$1"));
    try {
      java.net.ServerSocket holder = new java.net.ServerSocket();
      holder.setReuseAddress(true);
      holder.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      portHolder = holder;
      Thread t =
          new Thread(
              () -> {
                while (!holder.isClosed()) {
                  try {
                    holder.accept().close();
                  } catch (IOException closed) {
                    return; // startServer closed the holder
                  }
                }
              },
              "pg-port-holder");
      t.setDaemon(true);
      t.start();
    } catch (IOException e) {
      throw new AssertionError("cannot hold port " + port + " while the server is stopped", e);
    }
  }

  /** Starts the server again on its port. */
  static synchronized void startServer() {
    if (portHolder != null) {
      try {
        portHolder.close();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      portHolder = null;
    }
    ctl("start");
  }

  /** Whether {@link #stopServer} stopped it and {@link #startServer} has not run since. */
  static synchronized boolean isStopped() {
    return portHolder != null;
  }

  private static void ctl(String what) {
    String ctl =
        Optional.ofNullable(System.getenv("KMSJ_TEST_PG_CTL"))
            .orElseThrow(() -> new AssertionError("KMSJ_TEST_PG_CTL is not set"));
    try {
      Process p =
          new ProcessBuilder(List.of(ctl, what))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(ctl + " " + what + " failed");
      }
    } catch (IOException e) {
      throw new AssertionError(ctl + " " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    String base = System.getenv("KMSJ_TEST_PG_URL");
    try (Connection c =
            DriverManager.getConnection(base, credentials.user(), credentials.password());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      // Left for the server's removal at the end of the run.
    }
  }
}
