package io.github.kmsj.core.store;

import static io.github.kmsj.core.store.StoreTestRequests.T0;
import static io.github.kmsj.core.store.StoreTestRequests.WINDOWS;
import static io.github.kmsj.core.store.StoreTestRequests.cmid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group-commit gather step ({@code groupWait}): once changes arrive together, the writer waits
 * for as many as last time before it forces, ends the wait as soon as they are queued, and forces
 * what it has when the wait runs out on the store's ticker. The ticker here is manual, so "the wait
 * ran out" happens only when the test moves it, and nothing depends on how fast this machine is.
 */
final class GroupWaitTest {

  private static final Duration WAIT = Duration.ofMillis(2);

  @TempDir Path dir;

  private final TestChannels disk = new TestChannels();
  private final ManualScheduler time = new ManualScheduler(T0);

  /** The forces done before {@link #gatheringForFour} (loading may force). */
  private int forcedBefore;

  /** A store on the manual scheduler with {@code wait}, or with the default wait when null. */
  private FileHostStore open(Duration wait) {
    FileHostStore.Builder b = FileHostStore.builder().directory(dir).channels(disk).time(time);
    if (wait != null) {
      b.groupWait(wait);
    }
    FileHostStore store = b.build();
    store.load(LedgerLimits.DEFAULT);
    return store;
  }

  private static HostChange seen(int i) {
    return new HostChange.ClientSeen(
        T0.plusSeconds(i),
        WINDOWS,
        cmid(i),
        25,
        "pc-" + i,
        StoreTestRequests.WIN10_PRO_SKU,
        StoreTestRequests.WIN10_KMS_ID,
        LicenseStatus.OOB_GRACE,
        Optional.empty());
  }

  private static List<CompletableFuture<Void>> append(FileHostStore store, int from, int to) {
    List<CompletableFuture<Void>> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(store.append(seen(i)));
    }
    return out;
  }

  private static void awaitAll(List<CompletableFuture<Void>> futures) throws Exception {
    for (CompletableFuture<Void> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Drives the writer, through held forces, to the moment the gather begins: a batch of one, then a
   * batch of two, and two more changes queued while that second force is held. When it is released
   * the writer has seen two changes arrive together and finds two queued, so it waits for four.
   * Returns the two queued changes; every force from here on also waits at the gate.
   */
  private List<CompletableFuture<Void>> gatheringForFour(FileHostStore store) throws Exception {
    forcedBefore = disk.forces();
    disk.closeGate();
    List<CompletableFuture<Void>> first = append(store, 0, 1);
    disk.awaitArrivedAtGate(1);
    List<CompletableFuture<Void>> second = append(store, 1, 3);
    disk.release(1);
    awaitAll(first);
    disk.awaitArrivedAtGate(2);
    List<CompletableFuture<Void>> queued = append(store, 3, 5);
    disk.release(1);
    awaitAll(second);
    return queued;
  }

  @Test
  void afterABatchOfTwo_theWriterWaitsForFourAndForcesThemOnce() throws Exception {
    try (FileHostStore store = open(WAIT)) {
      List<CompletableFuture<Void>> early = gatheringForFour(store);
      // The manual ticker never moves: only the target ends this wait, so it lasts as long as the
      // test likes. Give the writer time to force if it (wrongly) did not wait.
      Thread.sleep(50);
      assertEquals(0, disk.waitingAtGate(), "forced before the gather target was reached");
      assertFalse(early.get(0).isDone());

      List<CompletableFuture<Void>> late = append(store, 5, 7); // 4 queued: the target
      disk.awaitArrivedAtGate(3);
      disk.release(1);
      awaitAll(early);
      awaitAll(late);
      assertEquals(forcedBefore + 3, disk.forces(), "the four changes share one force");
    }
  }

  @Test
  void theWaitRunsOutOnTheStoresTicker_whatIsQueuedIsForced() throws Exception {
    try (FileHostStore store = open(WAIT)) {
      List<CompletableFuture<Void>> two = gatheringForFour(store); // 4 never come
      Thread.sleep(50);
      assertEquals(0, disk.waitingAtGate(), "the wait ended before its time had passed");

      time.advance(WAIT);
      disk.awaitArrivedAtGate(3);
      disk.release(1);
      awaitAll(two);
      assertEquals(forcedBefore + 3, disk.forces());
    }
  }

  @Test
  void closingWhileTheWriterGathers_forcesWhatIsQueuedAndReturns() throws Exception {
    FileHostStore store = open(WAIT);
    List<CompletableFuture<Void>> two = gatheringForFour(store);
    disk.openGate();
    store.close(); // the ticker never moves: only closing can end this wait
    for (CompletableFuture<Void> f : two) {
      assertTrue(f.isDone() && !f.isCompletedExceptionally(), "a queued change was not forced");
    }
    try (FileHostStore reopened = FileHostStore.builder().directory(dir).build()) {
      assertEquals(5, reopened.load(LedgerLimits.DEFAULT).ledger().clients().size());
    }
  }

  /**
   * With {@code wait} (null: the default), the two queued after a batch of two are forced at once.
   */
  private void assertNoGather(Duration wait) throws Exception {
    try (FileHostStore store = open(wait)) {
      List<CompletableFuture<Void>> two = gatheringForFour(store);
      disk.awaitArrivedAtGate(3); // the ticker never moves, so this would time out if it waited
      disk.release(1);
      awaitAll(two);
      assertEquals(forcedBefore + 3, disk.forces());
    }
  }

  @Test
  void withoutAGatherWait_theQueuedTwoAreForcedAtOnce() throws Exception {
    assertNoGather(Duration.ZERO);
  }

  @Test
  void onAnotherSchedulerThanTheSystems_theDefaultIsNoWait() throws Exception {
    assertNoGather(null);
  }

  @Test
  void aWaitAboveTenMilliseconds_isRefusedWithItsValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FileHostStore.builder().groupWait(Duration.ofMillis(11)));
    assertEquals("groupWait must be 0 to 10 ms: 11000 µs", e.getMessage());
  }
}
