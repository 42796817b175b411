package io.github.kmsj.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.admin.HostAdmin;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.DailyCount;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.HostStateExporter;
import io.github.kmsj.core.store.StoreCluster;
import io.github.kmsj.core.store.StoreException;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.TestProduct;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One or two hosts on a real PostgreSQL database, in process. */
final class PostgresHostStoreTest {
  @TempDir Path dir;
  private TestDatabase db;

  @BeforeEach
  void database() {
    db = TestDatabase.create();
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close();
    }
  }

  private PostgresHostStore store(String hostId) {
    return PostgresHostStore.builder()
        .dataSource(db.dataSource())
        .hostId(hostId)
        .walDirectory(dir.resolve("wal-" + hostId))
        .build();
  }

  @Test
  void twoHosts_alternatingClients_bothAnswerTheCountOfTheUnion() {
    try (ClusterHost a = ClusterHost.start(store("a"));
        ClusterHost b = ClusterHost.start(store("b"))) {
      for (int i = 1; i <= 10; i++) {
        ClusterHost h = i % 2 == 0 ? b : a;
        assertEquals(i, h.activate(TestProduct.WINDOWS_10_PRO, ClusterHost.cmid(i)), "client " + i);
      }
      // Renewals on the other host do not grow the count.
      for (int i = 1; i <= 10; i++) {
        ClusterHost h = i % 2 == 0 ? a : b;
        assertEquals(10, h.activate(TestProduct.WINDOWS_10_PRO, ClusterHost.cmid(i)));
      }
      assertEquals(10, db.queryLong("SELECT count(*) FROM kmsj_client"));
      assertEquals(20, db.queryLong("SELECT sum(request_count) FROM kmsj_client"));
      assertEquals(2, db.queryLong("SELECT count(*) FROM kmsj_host"));
      assertEquals(20, db.queryLong("SELECT sum(requests) FROM kmsj_host"));
      assertEquals(
          10,
          db.queryLong("SELECT max(highest_count) FROM kmsj_daily_count"),
          "the cluster's count history (schema version 2)");
      assertEquals(2, db.queryLong("SELECT max(version::int) FROM kmsj_schema_history"));
      assertNotEquals(a.host().identity(), b.host().identity(), "each host keeps its own identity");
    }
  }

  @Test
  void restart_againstTheDatabase_resumesTheSharedStateAndIdentity() {
    Object identity;
    try (ClusterHost a = ClusterHost.start(store("a"))) {
      for (int i = 1; i <= 5; i++) {
        a.activate(TestProduct.WINDOWS_10_PRO, ClusterHost.cmid(i));
      }
      identity = a.host().identity();
    }
    try (ClusterHost a = ClusterHost.start(store("a"))) {
      assertEquals(identity, a.host().identity());
      assertEquals(
          List.of(new DailyCount(LocalDate.now(ZoneOffset.UTC), 5)),
          a.host().state(Instant.now()).ledger().applications().get(0).history(),
          "the count history comes back from the database");
      assertEquals(5, a.host().state(Instant.now()).clients().size());
      assertEquals(6, a.activate(TestProduct.WINDOWS_10_PRO, ClusterHost.cmid(6)));
    }
  }

  @Test
  void sharedIdentityName_twoHosts_answerWithOneIdentity() {
    PostgresHostStore.Builder common =
        PostgresHostStore.builder().dataSource(db.dataSource()).identityName("kms-cluster");
    try (ClusterHost a =
            ClusterHost.start(
                PostgresHostStore.builder()
                    .dataSource(db.dataSource())
                    .hostId("a")
                    .identityName("kms-cluster")
                    .walDirectory(dir.resolve("wa"))
                    .build());
        ClusterHost b =
            ClusterHost.start(
                PostgresHostStore.builder()
                    .dataSource(db.dataSource())
                    .hostId("b")
                    .identityName("kms-cluster")
                    .walDirectory(dir.resolve("wb"))
                    .build())) {
      assertEquals(a.host().identity(), b.host().identity());
    }
    assertThrows(IllegalArgumentException.class, common::build, "walDirectory is required");
  }

  @Test
  void otherHostsClients_appearInTheMirrorAfterARefresh() throws Exception {
    try (ClusterHost a = ClusterHost.start(store("a"));
        ClusterHost b = ClusterHost.start(store("b"))) {
      for (int i = 1; i <= 3; i++) {
        a.activate(TestProduct.WINDOWS_10_PRO, ClusterHost.cmid(i));
      }
      Set<Guid> seen = Set.of();
      for (int tries = 0; tries < 100 && seen.size() < 3; tries++) {
        Thread.sleep(50); // the reader refreshes every second by default
        seen =
            b.host().state(Instant.now()).clients().stream()
                .map(ClientRecord::cmid)
                .collect(Collectors.toSet());
      }
      assertEquals(Set.of(ClusterHost.cmid(1), ClusterHost.cmid(2), ClusterHost.cmid(3)), seen);
      assertTrue(b.store().cluster().hosts().size() == 2, b.store().cluster().toString());
    }
  }

  @Test
  void adminView_showsTheClusterHostsTheirRequestsAndTheDatabaseState() throws Exception {
    try (ClusterHost a = ClusterHost.start(store("a"));
        ClusterHost b = ClusterHost.start(store("b"))) {
      for (int i = 1; i <= 3; i++) {
        a.activate(TestProduct.WINDOWS_10_PRO, ClusterHost.cmid(i));
      }
      b.activate(TestProduct.WINDOWS_10_PRO, ClusterHost.cmid(4));
      HostAdmin admin = HostAdmin.builder(b.host()).build();
      Map<String, Long> requests = Map.of();
      for (int tries = 0; tries < 100 && !requests.equals(Map.of("a", 3L, "b", 1L)); tries++) {
        Thread.sleep(50); // the host list comes with the reader's refresh, every second by default
        requests =
            admin.view().store().cluster().orElseThrow().hosts().stream()
                .collect(Collectors.toMap(StoreCluster.Host::hostId, StoreCluster.Host::requests));
      }
      assertEquals(Map.of("a", 3L, "b", 1L), requests);
      StoreCluster cluster = admin.view().store().cluster().orElseThrow();
      assertTrue(cluster.databaseReachable());
      assertEquals(Optional.empty(), cluster.outageSince());
      assertEquals(0, cluster.localLogChanges());
      assertTrue(cluster.meanCommitLatency().compareTo(Duration.ZERO) > 0, cluster.toString());
      // A store of one host has no cluster.
      try (KmsHost single = KmsHost.builder().build()) {
        assertEquals(Optional.empty(), HostAdmin.builder(single).build().view().store().cluster());
      }
    }
  }

  @Test
  void exportImport_fileStoreToPostgresAndBack_keepsClientsAndCounts() throws Exception {
    HostStateExporter exporter = new HostStateExporter();
    HostState fileState;
    try (KmsHost file =
        KmsHost.builder()
            .store(FileHostStore.builder().directory(dir.resolve("file")).build())
            .build()) {
      ClusterHost.activateInProcess(file, 7);
      fileState = file.state(Instant.now());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.write(fileState, out);
    HostState read = exporter.read(new ByteArrayInputStream(out.toByteArray()));
    try (PostgresHostStore pg = store("imported")) {
      exporter.importInto(pg, read, false);
    }
    assertEquals(7, db.queryLong("SELECT count(*) FROM kmsj_client"));
    HostState back;
    try (KmsHost host = KmsHost.builder().store(store("imported")).build()) {
      back = host.state(fileState.ledger().asOf());
      assertEquals(fileState.identity(), back.identity());
      assertEquals(fileState.currentCounts(), back.currentCounts());
      assertEquals(
          fileState.clients().stream().map(ClientRecord::cmid).collect(Collectors.toSet()),
          back.clients().stream().map(ClientRecord::cmid).collect(Collectors.toSet()));
    }
    out.reset();
    exporter.write(back, out);
    try (FileHostStore again = FileHostStore.builder().directory(dir.resolve("again")).build()) {
      exporter.importInto(again, exporter.read(new ByteArrayInputStream(out.toByteArray())), false);
    }
    try (KmsHost host =
        KmsHost.builder()
            .store(FileHostStore.builder().directory(dir.resolve("again")).build())
            .build()) {
      assertEquals(
          fileState.currentCounts(), host.state(fileState.ledger().asOf()).currentCounts());
    }
  }

  @Test
  void load_databaseUnreachable_failsWithOneClearError() {
    org.postgresql.ds.PGSimpleDataSource nowhere = new org.postgresql.ds.PGSimpleDataSource();
    nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/none");
    nowhere.setConnectTimeout(1);
    PostgresHostStore s =
        PostgresHostStore.builder()
            .dataSource(nowhere)
            .hostId("x")
            .walDirectory(dir.resolve("w"))
            .build();
    StoreException e = assertThrows(StoreException.class, () -> KmsHost.builder().store(s).build());
    assertTrue(e.getMessage().startsWith("cannot "), e.getMessage());
  }

  @Test
  void credentials_groupReadable_refusedNamingTheFile() throws Exception {
    Path f = dir.resolve("creds");
    Files.writeString(f, "user=u\npassword=p\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    StoreException e = assertThrows(StoreException.class, () -> StoreCredentials.read(f));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("owner"));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertEquals("u", StoreCredentials.read(f).user());
    assertTrue(!StoreCredentials.read(f).toString().contains("p]"), "no password in toString");
    Files.writeString(f, "user=u\n");
    assertThrows(StoreException.class, () -> StoreCredentials.read(f));
  }

  @Test
  void builder_notAPostgresUrl_failsNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PostgresHostStore.builder()
                    .connect("jdbc:mysql://x/y", new StoreCredentials("u", "p")));
    assertTrue(e.getMessage().contains("jdbc:mysql://x/y"));
  }
}
