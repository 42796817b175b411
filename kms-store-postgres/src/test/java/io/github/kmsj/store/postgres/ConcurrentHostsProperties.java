package io.github.kmsj.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.HostResponse;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.test.TestProduct;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Three hosts on one real PostgreSQL database receive simultaneous requests for the same and for
 * different CMIDs, each host from its own thread with many requests in flight, so that batches of
 * several requests commit interleaved with the other hosts'. Checked against a model of the count:
 * the database holds one record per distinct CMID and every request in its counters, and every
 * answer's count is the count of a moment between its request and its answer, min(capacity, the
 * distinct CMIDs answered before it was sent plus itself) at least and min(capacity, the distinct
 * CMIDs sent before it was answered) at most.
 */
final class ConcurrentHostsProperties {
  private static final int HOSTS = 3;
  private static TestDatabase db;

  @BeforeContainer
  static void database() {
    db = TestDatabase.create();
  }

  @AfterContainer
  static void drop() {
    if (db != null) {
      db.close();
    }
  }

  /** One request: which host receives it and which CMID it carries. */
  record Send(int host, int cmid) {}

  @Provide
  Arbitrary<List<Send>> sends() {
    Arbitrary<Integer> cmids = Arbitraries.integers().between(0, 39);
    return Combinators.combine(Arbitraries.integers().between(0, HOSTS - 1), cmids)
        .as(Send::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(150);
  }

  @Property(tries = 12)
  void simultaneousRequests_severalHosts_countsFollowTheModel(
      @ForAll("sends") List<Send> sends, @ForAll("policies") int policy) throws Exception {
    truncate();
    Path wal = Files.createTempDirectory("kmsj-pg-prop");
    List<KmsHost> hosts = new ArrayList<>();
    try {
      for (int h = 0; h < HOSTS; h++) {
        hosts.add(
            KmsHost.builder()
                .store(
                    PostgresHostStore.builder()
                        .dataSource(db.dataSource())
                        .hostId("h" + h)
                        .walDirectory(wal.resolve("h" + h))
                        .build())
                .build());
      }
      int n = sends.size();
      long[] submitted = new long[n];
      long[] answered = new long[n];
      int[] counts = new int[n];
      AtomicLong clock = new AtomicLong();
      List<CompletableFuture<?>> all = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      Object futuresLock = new Object();
      for (int h = 0; h < HOSTS; h++) {
        int host = h;
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; i < n; i++) {
                    if (sends.get(i).host() != host) {
                      continue;
                    }
                    int at = i;
                    DecodedRequest request = decoded(cmid(sends.get(i).cmid()), policy);
                    submitted[at] = clock.incrementAndGet();
                    CompletableFuture<?> f =
                        hosts
                            .get(host)
                            .submit(request, Instant.now(), Optional.empty())
                            .thenAccept(
                                r -> {
                                  answered[at] = clock.incrementAndGet();
                                  counts[at] =
                                      ((HostResponse.Answered) r).base().currentClientCount();
                                });
                    synchronized (futuresLock) {
                      all.add(f);
                    }
                  }
                });
        threads.add(t);
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();

      int capacity = 2 * Math.max(policy, 1);
      for (int r = 0; r < n; r++) {
        Set<Integer> before = new HashSet<>();
        before.add(sends.get(r).cmid());
        Set<Integer> sentBefore = new HashSet<>();
        for (int q = 0; q < n; q++) {
          if (answered[q] < submitted[r]) {
            before.add(sends.get(q).cmid());
          }
          if (submitted[q] < answered[r]) {
            sentBefore.add(sends.get(q).cmid());
          }
        }
        int low = Math.min(capacity, before.size());
        int high = Math.min(capacity, sentBefore.size());
        assertTrue(
            low <= counts[r] && counts[r] <= high,
            "request "
                + r
                + " "
                + sends.get(r)
                + " answered "
                + counts[r]
                + ", model "
                + low
                + ".."
                + high);
      }
      Set<Integer> distinct = new HashSet<>();
      sends.forEach(s -> distinct.add(s.cmid()));
      assertEquals(distinct.size(), db.queryLong("SELECT count(*) FROM kmsj_client"));
      assertEquals(n, db.queryLong("SELECT sum(request_count) FROM kmsj_client"));
      assertEquals(n, db.queryLong("SELECT sum(requests) FROM kmsj_host"));
      assertEquals(
          Math.min(capacity, distinct.size()),
          db.queryLong("SELECT count(*) FROM kmsj_client WHERE in_count"),
          "the counted records");
    } finally {
      for (KmsHost h : hosts) {
        h.close();
      }
    }
  }

  @Provide
  Arbitrary<Integer> policies() {
    return Arbitraries.of(1, 5, 25, 1000);
  }

  private static Guid cmid(int i) {
    return Guid.of(new UUID(0x9c0c0a0000000000L, 0x8000000000000000L | i));
  }

  private static DecodedRequest decoded(Guid cmid, int policy) {
    byte[] salt = new byte[16];
    salt[0] = (byte) cmid.leastSigBits();
    return KmsHostCodec.decodeRequest(
        KmsClientCodec.encodeRequest(
                TestProduct.WINDOWS_10_PRO
                    .request()
                    .cmid(cmid)
                    .requiredClientCount(policy)
                    .build()
                    .toKmsRequest(Instant.now(), Bytes.of(salt)))
            .bytes());
  }

  private static void truncate() throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      // The first try finds no tables yet: the first store's load migrates.
      s.execute(
          "DO $$ BEGIN IF to_regclass('kmsj_client') IS NOT NULL THEN"
              + " TRUNCATE kmsj_client, kmsj_application, kmsj_host, kmsj_identity CASCADE;"
              + " END IF; END $$");
    }
  }
}
