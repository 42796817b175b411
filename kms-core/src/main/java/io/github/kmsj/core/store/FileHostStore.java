package io.github.kmsj.core.store;

import io.github.kmsj.core.internal.SetOnce;
import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.core.time.Cancellable;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Scheduler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in store: a directory holding an append-only journal of changes with a CRC32C per
 * record, a snapshot that compacts it, and a lock file. It needs no setup: a missing directory is
 * created, owner-only ({@code rwx------}, files {@code rw-------}, where the file system has POSIX
 * permissions). See the package documentation for the file format and for what happens to a damaged
 * directory.
 *
 * <p>Notes. {@link #append} only encodes the change into the queue and returns its future. One
 * writer thread, {@code kmsj-store-writer}, takes everything queued at once, writes it with one
 * call and, for {@link Durability#SURVIVES_POWER_LOSS}, forces it with one {@code fsync} before it
 * completes the futures of the whole batch, in order (group commit, as BookKeeper's journal does):
 * while one force runs, the next batch gathers. For {@link Durability.SurvivesProcessCrash} it
 * completes them once written and forces on the scheduler's timer. When the journal has grown
 * enough the writer starts a new journal generation; a second thread, {@code kmsj-store-compact},
 * then builds the next snapshot by replaying the previous snapshot and the closed journals through
 * the same ledger the host counts with, so compaction never touches the host or its lock. A failed
 * compaction only logs: the journals it would have replaced stay, and the next rotation tries
 * again.
 *
 * <p>Faults are a state ({@link #health()}), as BookKeeper marks a journal directory read-only and
 * recovers when space returns. A failed write or force (disk full, I/O error) makes the store
 * {@link StoreHealth.Degraded degraded}: one ERROR line, the futures of every change not yet
 * acknowledged fail, and every later {@link #append} fails at once until it recovers. The writer
 * keeps every byte since the last successful force ({@code forcedEnd}): the failed batch and the
 * changes queued behind it, and in {@link Durability.SurvivesProcessCrash} mode also the written,
 * acknowledged but unforced ones. Every {@code retryEvery} (default 1 s, on the injected scheduler)
 * it writes them again at their own offsets from {@code forcedEnd}, truncates whatever a torn write
 * left beyond them and forces; once that succeeds the store is healthy again (one INFO line). So
 * the journal never holds a torn or a duplicate record, an acknowledged record is never dropped,
 * and a record whose future failed is stored after all: the host counted it in memory when it
 * appended, so the host's ledger and what a restart loads stay the same (a client whose answer
 * failed may be counted; no CMID that was never sent is). Rewriting rather than trusting the page
 * cache also covers an {@code fsync} that failed and dropped its dirty pages. Writing over the same
 * offsets before truncating, instead of truncating first, keeps acknowledged unforced records in
 * the file throughout.
 *
 * <p>Every {@code directoryCheckEvery} (default 5 s) and before each rotation, the writer compares
 * the directory and the lock file with what it opened (existence and file key, the inode on Linux).
 * If either was removed or replaced, a second host may already use the path: the store becomes
 * degraded for good (it stays so until the host restarts) and never writes again.
 */
public final class FileHostStore implements HostStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileHostStore.class);

  static final byte[] JOURNAL_MAGIC = "KMSJ-JNL".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SNAPSHOT_MAGIC = "KMSJ-SNP".getBytes(StandardCharsets.US_ASCII);
  static final String LOCK_FILE = "lock";
  private static final Pattern JOURNAL_NAME = Pattern.compile("journal-(\\d{10})\\.log");
  private static final Pattern SNAPSHOT_NAME = Pattern.compile("snapshot-(\\d{10})\\.bin");
  private static final Set<OpenOption> CREATE_WRITE =
      Set.of(
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
  private static final Set<OpenOption> WRITE = Set.of(StandardOpenOption.WRITE);
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  /**
   * How the store opens the files it writes (journals and snapshots): {@link FileChannel#open} by
   * default; a test injects faults or simulates a power loss through it.
   */
  @FunctionalInterface
  public interface ChannelFactory {
    /**
     * Opens {@code path} with {@code options}.
     *
     * @throws IOException if the file cannot be opened
     */
    FileChannel open(Path path, Set<OpenOption> options) throws IOException;
  }

  private final Path directory;
  private final Durability durability;
  private final long snapshotEveryChanges;
  private final long maxJournalBytes;
  private final Duration retryEvery;
  private final long groupWaitNanos;

  /**
   * While the writer gathers a batch, the queue length that ends the wait early; 0 otherwise.
   * Written under {@code queueLock}; read by {@link #append} to wake the writer.
   */
  private volatile int gatherTarget;

  /** How many changes are queued: what the gathering writer watches without the lock. */
  private volatile int queuedCount;

  /** The size of the writer's previous batch: how many changes arrive together. */
  private int lastBatch;

  /** Force latency is measured in real time whatever the store's scheduler is: it is a metric. */
  private static final io.github.kmsj.core.time.Ticker REAL =
      io.github.kmsj.core.time.Ticker.system();

  private final Duration directoryCheckEvery;
  private final ChannelFactory channels;
  private final Scheduler time;
  private final FileChannel lockChannel;
  private final FileLock lock;

  /**
   * The file keys (inodes) of the directory and the lock file as opened; null where unsupported.
   */
  private final Object directoryKey;

  private final Object lockKey;

  private final List<StoreHealthListener> healthListeners = new CopyOnWriteArrayList<>();

  /** Guards the queue, the health and the writer's requests; never held while waiting for I/O. */
  private final Object queueLock = new Object();

  private RecordCodec.Writer queued = new RecordCodec.Writer();
  private RecordCodec.Writer spare = new RecordCodec.Writer();
  private List<CompletableFuture<Void>> queuedFutures = new ArrayList<>();
  private List<CompletableFuture<Void>> spareFutures = new ArrayList<>();
  private final List<CompletableFuture<Void>> flushWaiters = new ArrayList<>();
  private boolean forceRequested;
  private boolean retryRequested;
  private boolean checkRequested;
  private volatile boolean closing;

  /** When the current degradation began; null while healthy. */
  private Instant degradedSince;

  private String degradedReason;
  private long failedChanges;

  /** Degraded until the host restarts: the directory or lock file was removed or replaced. */
  private boolean degradedForGood;

  private Cancellable retryTimer;

  // Owned by the writer thread once loaded.
  private FileChannel journal;
  private long generation;
  private long journalBytes;
  private long changesSinceRotation;
  private boolean dirty;

  /** The journal offset up to which everything is forced; {@link #unforced} follows it. */
  private long forcedEnd;

  /**
   * The end of the zeros written ahead of the journal's records. Appending within preallocated
   * space leaves the file's size alone, so each {@code fdatasync} flushes only data, not a size
   * change through the file system's journal: about half the CPU and a third of the latency per
   * force on ext4 here. Loading treats the zeros after the last record as the clean end.
   */
  private long allocatedEnd;

  /** False after a preallocation failed (no room), until the next journal. */
  private boolean preallocating = true;

  /** How far ahead of the records the journal is zero-filled, in one step. */
  static final int PREALLOCATE = 4 << 20;

  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);

  /** Forces of the journal by the writer ({@link #forceJournal}), and their time in nanoseconds. */
  private final LongAdder forces = new LongAdder();

  private final LongAdder forceNanos = new LongAdder();

  /** Every record from {@link #forcedEnd} on, written or not: what a retry writes again. */
  private final RecordCodec.Writer unforced = new RecordCodec.Writer();

  private LedgerLimits limits;
  private Thread writer;
  private Cancellable forceTimer;
  private Cancellable checkTimer;

  /** Guards the compaction state below and the file deletions. */
  private final Object compactionLock = new Object();

  private boolean compacting;
  private Thread compactor;

  /**
   * The oldest generation whose files may still exist; they go once a newer snapshot is durable.
   */
  private long oldestGeneration;

  /** The size of the newest snapshot; the journal may grow to it before rotating. */
  private volatile long lastSnapshotBytes;

  private volatile boolean loaded;
  private volatile boolean closed;

  private FileHostStore(Builder b) {
    this.directory = b.directory;
    this.durability = b.durability;
    this.snapshotEveryChanges = b.snapshotEveryChanges;
    this.maxJournalBytes = b.maxJournalBytes;
    this.retryEvery = b.retryEvery;
    this.groupWaitNanos = b.groupWait.toNanos();
    this.directoryCheckEvery = b.directoryCheckEvery;
    this.channels = b.channels;
    this.time = b.time;
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new StoreException("store directory " + directory + " is not a directory");
    }
    boolean posix = isPosix(directory);
    try {
      if (posix) {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
      } else {
        Files.createDirectories(directory);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create store directory " + directory, e);
    }
    Path lockPath = directory.resolve(LOCK_FILE);
    try {
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
              : new FileAttribute<?>[0];
      lockChannel =
          FileChannel.open(
              lockPath, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), attributes);
    } catch (IOException e) {
      throw new StoreException(
          "cannot open lock file " + lockPath + " in store directory " + directory, e);
    }
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException | IOException e) {
      closeQuietly(lockChannel, e);
      throw new StoreException(inUse(lockPath), e);
    }
    if (acquired == null) {
      closeQuietly(lockChannel, null);
      throw new StoreException(inUse(lockPath));
    }
    this.lock = acquired;
    try {
      this.directoryKey = fileKey(directory);
      this.lockKey = fileKey(lockPath);
    } catch (IOException e) {
      StoreException se = new StoreException("cannot read the attributes of " + directory, e);
      try {
        lock.release();
      } catch (IOException suppressed) {
        se.addSuppressed(suppressed);
      }
      closeQuietly(lockChannel, se);
      throw se;
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static Object fileKey(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
  }

  /**
   * Creates {@code file} empty and owner-only where the file system has POSIX permissions, so that
   * its contents are never readable by others, not even briefly.
   */
  static void createOwnerOnly(Path file) throws IOException {
    if (isPosix(file)) {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
    }
  }

  private String inUse(Path lockPath) {
    return "store directory "
        + directory
        + " is in use by another host (lock file "
        + lockPath
        + " is held)";
  }

  /** A builder; {@link Builder#directory} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The store's directory. */
  public Path directory() {
    return directory;
  }

  /** What an answered change survives. */
  public Durability durability() {
    return durability;
  }

  /**
   * The bytes of the current journal up to its last record, header included (not its zero-filled
   * rest).
   */
  public long journalBytes() {
    synchronized (queueLock) {
      return journalBytes;
    }
  }

  /**
   * The changes handed to {@link #append} that the writer has not taken yet: the queue the next
   * batch is cut from (kms-metrics' {@code kmsj_store_queue_depth}).
   */
  public int queuedChanges() {
    synchronized (queueLock) {
      return queuedFutures.size();
    }
  }

  /** How many times the writer forced the journal since the store opened. */
  public long journalForces() {
    return forces.sum();
  }

  /** The time those forces took, together; divided by {@link #journalForces()}, the mean force. */
  public Duration journalForceTime() {
    return Duration.ofNanos(forceNanos.sum());
  }

  /** The generation of the current journal; it follows the snapshot of the same generation. */
  public long generation() {
    synchronized (queueLock) {
      return generation;
    }
  }

  @Override
  public StoreHealth health() {
    synchronized (queueLock) {
      return healthLocked();
    }
  }

  private StoreHealth healthLocked() {
    return degradedSince == null
        ? StoreHealth.HEALTHY
        : new StoreHealth.Degraded(degradedSince, degradedReason, failedChanges, !degradedForGood);
  }

  @Override
  public void subscribe(StoreHealthListener listener) {
    healthListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  static String journalName(long generation) {
    return String.format("journal-%010d.log", generation);
  }

  static String snapshotName(long generation) {
    return String.format("snapshot-%010d.bin", generation);
  }

  @Override
  public LoadedState load(LedgerLimits limits) {
    Objects.requireNonNull(limits, "limits");
    synchronized (queueLock) {
      checkOpen();
      if (loaded) {
        throw new IllegalStateException("the store is already loaded by a host");
      }
      this.limits = limits;
      TreeMap<Long, Path> journals = new TreeMap<>();
      TreeMap<Long, Path> snapshots = new TreeMap<>();
      list(journals, snapshots);
      List<String> warnings = new ArrayList<>();
      StateModel model = new StateModel(limits);
      Optional<Long> snapshotGeneration = Optional.empty();
      long base = 0;
      if (!snapshots.isEmpty()) {
        base = snapshots.lastKey();
        snapshotGeneration = Optional.of(base);
        HostState state = SnapshotFile.read(snapshots.lastEntry().getValue(), base);
        model.restore(Optional.of(state.identity()), state.ledger());
        lastSnapshotBytes = sizeOf(snapshots.lastEntry().getValue());
      }
      // The journals from the snapshot's generation on must form an unbroken chain: each continues
      // the one before it, and the first follows the snapshot (or, for generation 0, nothing).
      long expected = base;
      for (var e : journals.tailMap(base).entrySet()) {
        if (e.getKey() != expected) {
          throw new StoreException(
              "journal file "
                  + e.getValue()
                  + " follows snapshot "
                  + directory.resolve(snapshotName(e.getKey()))
                  + " or journal "
                  + directory.resolve(journalName(e.getKey() - 1))
                  + ", which are missing; refusing to start without them");
        }
        expected++;
      }
      long replayed = 0;
      long last = journals.tailMap(base).isEmpty() ? base : journals.lastKey();
      Path journalPath = directory.resolve(journalName(last));
      long validEnd = -1;
      long lastRecords = 0;
      boolean tornTail = false;
      for (long g = base; journals.containsKey(g); g++) {
        JournalScan scan = JournalScan.replay(journals.get(g), g, model);
        replayed += scan.records();
        lastRecords = scan.records();
        validEnd = scan.validEnd();
        tornTail = scan.warning().isPresent();
        if (scan.warning().isPresent()) {
          if (g != last) {
            throw new StoreException(
                scan.warning().get() + "; it is not the newest journal, so this is corruption");
          }
          LOG.warn("{}", scan.warning().get());
          warnings.add(scan.warning().get());
        }
      }
      try {
        if (validEnd < 0) {
          journal = createJournal(last);
          journalBytes = RecordCodec.FILE_HEADER;
        } else {
          journal = channels.open(journalPath, WRITE);
          if (tornTail) {
            journal.truncate(validEnd);
            journal.force(true);
          }
          journal.position(validEnd);
          journalBytes = validEnd;
        }
        allocatedEnd = journal.size();
        forcedEnd = journalBytes;
        // Leftovers of a compaction that was interrupted after its snapshot became durable.
        for (var e : journals.headMap(base).entrySet()) {
          Files.deleteIfExists(e.getValue());
        }
        for (var e : snapshots.headMap(base).entrySet()) {
          Files.deleteIfExists(e.getValue());
        }
      } catch (IOException e) {
        if (journal != null) {
          closeQuietly(journal, e);
        }
        throw new StoreException("cannot open journal file " + journalPath + " for writing", e);
      }
      generation = last;
      oldestGeneration = base;
      changesSinceRotation = lastRecords;
      loaded = true;
      writer =
          DaemonThreadFactory.named("kmsj-store-writer " + directory.getFileName())
              .newThread(this::writeLoop);
      writer.start();
      if (durability instanceof Durability.SurvivesProcessCrash crash) {
        forceTimer = time.scheduleEvery(crash.forceEvery(), crash.forceEvery(), this::requestForce);
      }
      checkTimer =
          time.scheduleEvery(directoryCheckEvery, directoryCheckEvery, this::requestDirectoryCheck);
      return model.toLoaded(new StoreLoadReport(snapshotGeneration, replayed, warnings));
    }
  }

  private void list(TreeMap<Long, Path> journals, TreeMap<Long, Path> snapshots) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        Matcher j = JOURNAL_NAME.matcher(name);
        Matcher s = SNAPSHOT_NAME.matcher(name);
        if (j.matches()) {
          journals.put(Long.parseLong(j.group(1)), p);
        } else if (s.matches()) {
          snapshots.put(Long.parseLong(s.group(1)), p);
        } else if (name.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot read store directory " + directory, e);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new StoreException("cannot read the size of " + file, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException if the store is degraded (the change is not recorded), closing or closed
   */
  @Override
  public CompletableFuture<Void> append(HostChange change) {
    Objects.requireNonNull(change, "change");
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (queueLock) {
      checkOpen();
      if (!loaded) {
        throw new IllegalStateException("load() the store first");
      }
      if (degradedSince != null) {
        failedChanges++;
        throw degradedException();
      }
      if (closing) {
        throw new StoreException("store " + directory + " is closing");
      }
      RecordCodec.writeChange(queued, change);
      queuedFutures.add(done);
      int size = queuedFutures.size();
      queuedCount = size;
      if (size == 1) {
        queueLock.notifyAll();
      } else if (size == gatherTarget) {
        LockSupport.unpark(writer);
      }
    }
    return done;
  }

  private void requestForce() {
    synchronized (queueLock) {
      forceRequested = true;
      queueLock.notifyAll();
    }
  }

  private void requestRetry() {
    synchronized (queueLock) {
      retryRequested = true;
      queueLock.notifyAll();
    }
  }

  private void requestDirectoryCheck() {
    synchronized (queueLock) {
      checkRequested = true;
      queueLock.notifyAll();
    }
  }

  /** The writer thread: writes and forces batches, retries while degraded, until it closes. */
  private void writeLoop() {
    while (true) {
      RecordCodec.Writer batch;
      List<CompletableFuture<Void>> futures;
      List<CompletableFuture<Void>> flushed;
      boolean force;
      boolean retry;
      boolean check;
      boolean last;
      int target;
      synchronized (queueLock) {
        while (queuedFutures.isEmpty()
            && !forceRequested
            && !retryRequested
            && !checkRequested
            && !closing) {
          try {
            queueLock.wait();
          } catch (InterruptedException e) {
            // Never leave with changes queued: a store thread is stopped by close(), not
            // interrupts.
          }
        }
        target = beginGather();
      }
      if (target > 0) {
        gather(target);
      }
      synchronized (queueLock) {
        gatherTarget = 0;
        batch = queued;
        futures = queuedFutures;
        lastBatch = futures.size();
        queued = spare.clear();
        queuedFutures = spareFutures;
        queuedCount = 0;
        force = forceRequested;
        forceRequested = false;
        retry = retryRequested;
        retryRequested = false;
        check = checkRequested;
        checkRequested = false;
        flushed = flushWaiters.isEmpty() ? List.of() : new ArrayList<>(flushWaiters);
        flushWaiters.clear();
        last = closing && queued.isEmpty();
      }
      try {
        if (check) {
          checkDirectory();
        }
        if (isDegraded()) {
          // Only a check in this very round can have degraded the store with a batch taken.
          if (!futures.isEmpty()) {
            unforced.append(batch.buffer().flip());
            fail(futures, degradedException());
          }
          fail(flushed, degradedException());
          if (retry || last) {
            retryWrite();
          }
        } else {
          writeAndForce(batch, futures, force || last || !flushed.isEmpty());
          complete(flushed);
          if (isRotationDue()) {
            rotate();
          }
        }
      } catch (IOException | RuntimeException e) {
        degrade(e, futures, flushed);
      } finally {
        batch.clear();
        futures.clear();
        synchronized (queueLock) {
          spare = batch;
          spareFutures = futures;
        }
      }
      if (last) {
        return;
      }
    }
  }

  /**
   * Group commit's gather step (BookKeeper's journalMaxGroupWaitMSec, PostgreSQL's commit_delay):
   * when changes have been arriving together, the writer waits up to {@code groupWait} for as many
   * as last time before forcing, so that one {@code fdatasync} covers the clients answered by the
   * previous one too. A lone client never waits. Returns the queue length to wait for, 0 for no
   * wait; called with {@code queueLock} held.
   */
  private int beginGather() {
    int queuedNow = queuedFutures.size();
    if (groupWaitNanos == 0
        || queuedNow == 0
        || lastBatch < 2
        || closing
        || !(durability instanceof Durability.SurvivesPowerLoss)) {
      return 0;
    }
    int target = Math.min(lastBatch + queuedNow, 2 * lastBatch);
    if (queuedNow >= target) {
      return 0;
    }
    gatherTarget = target;
    return target;
  }

  /**
   * Parks the writer, without the lock, until {@code target} changes are queued or {@code
   * groupWait} has passed on the store's ticker ({@link #append} unparks it when the target is
   * reached). Not a monitor's timed wait: below a millisecond that waits a whole one. Each park is
   * at most {@code groupWait} long, so a manual ticker that does not move keeps the writer waiting
   * for the target, and one that moves past the deadline ends the wait within {@code groupWait}.
   */
  private void gather(int target) {
    long deadline = time.read() + groupWaitNanos;
    while (queuedCount < target && !closing) {
      long left = deadline - time.read();
      if (left <= 0) {
        return;
      }
      LockSupport.parkNanos(this, Math.min(left, groupWaitNanos));
    }
  }

  private void writeAndForce(
      RecordCodec.Writer batch, List<CompletableFuture<Void>> futures, boolean forceNow)
      throws IOException {
    if (!futures.isEmpty()) {
      ByteBuffer buf = batch.buffer().flip();
      int n = buf.remaining();
      unforced.append(buf.duplicate());
      synchronized (queueLock) {
        changesSinceRotation += futures.size();
      }
      preallocate(journal.position() + n);
      writeFully(journal, buf);
      synchronized (queueLock) {
        journalBytes += n;
      }
      if (durability instanceof Durability.SurvivesPowerLoss) {
        forceJournal();
      } else {
        dirty = true;
      }
      complete(futures);
    }
    if (forceNow && dirty) {
      forceJournal();
    }
  }

  /**
   * Zero-fills the journal ahead of {@code end}, in {@link #PREALLOCATE} steps. Preallocation only
   * saves work: when the disk has no room for it, the journal grows record by record instead until
   * the next rotation tries again.
   */
  private void preallocate(long end) throws IOException {
    if (end <= allocatedEnd || !preallocating) {
      return;
    }
    long target = Math.max(end, allocatedEnd + PREALLOCATE);
    long from = Math.max(allocatedEnd, journal.position());
    try {
      long at = from;
      while (at < target) {
        ByteBuffer z = ZEROS.duplicate();
        z.limit((int) Math.min(z.capacity(), target - at));
        at += journal.write(z, at);
      }
      allocatedEnd = target;
    } catch (IOException e) {
      preallocating = false;
      LOG.debug("cannot preallocate journal {}: {}", currentJournalPath(), e.toString());
      try {
        journal.truncate(from); // give back what the partial zero-fill took from a full disk
      } catch (IOException again) {
        LOG.debug("cannot give back the partial preallocation: {}", again.toString());
      }
    }
  }

  private void forceJournal() throws IOException {
    long start = REAL.read();
    journal.force(false);
    forces.increment();
    forceNanos.add(REAL.read() - start);
    forcedEnd += unforced.buffer().position();
    unforced.clear();
    dirty = false;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static void complete(List<CompletableFuture<Void>> futures) {
    for (CompletableFuture<Void> f : futures) {
      f.complete(null);
    }
  }

  private static void fail(List<CompletableFuture<Void>> futures, StoreException failure) {
    for (CompletableFuture<Void> f : futures) {
      f.completeExceptionally(failure);
    }
  }

  private boolean isDegraded() {
    synchronized (queueLock) {
      return degradedSince != null;
    }
  }

  private StoreException degradedException() {
    return new StoreException(
        "store "
            + directory
            + " is degraded since "
            + degradedSince
            + " ("
            + degradedReason
            + "); the change is not recorded"
            + (degradedForGood ? " (restart the host)" : ""));
  }

  /**
   * Enters the retrying degraded state after a failed write or force: fails every change not yet
   * acknowledged, keeps its bytes (and those queued behind it) for the retry, and says so once.
   */
  private void degrade(
      Exception cause,
      List<CompletableFuture<Void>> futures,
      List<CompletableFuture<Void>> flushed) {
    String reason = "cannot write journal file " + currentJournalPath() + ": " + cause;
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (CompletableFuture<Void> f : futures) {
      if (!f.isDone()) {
        pending.add(f);
      }
    }
    StoreException failure;
    StoreHealth health;
    boolean first;
    synchronized (queueLock) {
      first = degradedSince == null;
      if (first) {
        degradedSince = time.instant();
        degradedReason = reason;
        retryTimer = time.scheduleEvery(retryEvery, retryEvery, this::requestRetry);
      }
      unforced.append(queued.buffer().flip());
      queued.clear();
      failedChanges += pending.size() + queuedFutures.size();
      pending.addAll(queuedFutures);
      queuedFutures.clear();
      queuedCount = 0;
      pending.addAll(flushed);
      pending.addAll(flushWaiters);
      flushWaiters.clear();
      failure =
          new StoreException(
              "store "
                  + directory
                  + " "
                  + reason
                  + "; the change is not acknowledged (the store retries every "
                  + retryEvery
                  + ")",
              cause);
      health = healthLocked();
    }
    fail(pending, failure);
    if (first) {
      LOG.error(
          "store {} is degraded: {}; acknowledging no changes and retrying every {}",
          directory,
          reason,
          retryEvery);
      LOG.debug("the failure that degraded store {}", directory, cause);
      notifyHealth(health);
    }
  }

  /** Becomes degraded until the host restarts: the store must not write to this path again. */
  private void degradeForGood(String reason) {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    StoreHealth health;
    synchronized (queueLock) {
      if (degradedForGood) {
        return;
      }
      degradedForGood = true;
      if (degradedSince == null) {
        degradedSince = time.instant();
      }
      degradedReason = reason;
      if (retryTimer != null) {
        retryTimer.cancel();
        retryTimer = null;
      }
      failedChanges += queuedFutures.size();
      pending.addAll(queuedFutures);
      queuedFutures.clear();
      queuedCount = 0;
      queued.clear();
      pending.addAll(flushWaiters);
      flushWaiters.clear();
      health = healthLocked();
    }
    fail(pending, degradedException());
    LOG.error(
        "store {} is degraded until the host restarts: {}; acknowledging no changes",
        directory,
        reason);
    notifyHealth(health);
  }

  /**
   * Writes everything since {@link #forcedEnd} again at its own offsets, cuts what a torn write
   * left beyond it, and forces; recovers if that works.
   */
  private void retryWrite() {
    synchronized (queueLock) {
      if (degradedForGood) {
        return;
      }
    }
    ByteBuffer buf = unforced.buffer().duplicate().flip();
    long end = forcedEnd + buf.remaining();
    try {
      journal.position(forcedEnd);
      writeFully(journal, buf);
      if (journal.size() > end) {
        journal.truncate(end);
      }
      allocatedEnd = journal.size();
      journal.force(false);
    } catch (IOException | RuntimeException e) {
      LOG.debug("store {} still cannot write: {}", directory, e.toString());
      return;
    }
    forcedEnd = end;
    unforced.clear();
    dirty = false;
    Instant since;
    long failed;
    synchronized (queueLock) {
      since = degradedSince;
      failed = failedChanges;
      degradedSince = null;
      degradedReason = null;
      failedChanges = 0;
      retryTimer.cancel();
      retryTimer = null;
      journalBytes = end;
    }
    LOG.info(
        "store {} recovered: writing again after {} degraded; {} changes were not acknowledged"
            + " meanwhile",
        directory,
        Duration.between(since, time.instant()),
        failed);
    notifyHealth(StoreHealth.HEALTHY);
  }

  /** Degrades the store for good if its directory or lock file is not the one it opened. */
  private void checkDirectory() {
    directoryProblem().ifPresent(this::degradeForGood);
  }

  private Optional<String> directoryProblem() {
    Path lockPath = directory.resolve(LOCK_FILE);
    try {
      Object key = fileKey(directory);
      if (!Files.isDirectory(directory) || (directoryKey != null && !directoryKey.equals(key))) {
        return Optional.of("data directory " + directory + " was replaced");
      }
    } catch (NoSuchFileException e) {
      return Optional.of("data directory " + directory + " was removed");
    } catch (IOException e) {
      // Not proof of anything: a failing disk also fails the next write, which degrades the store.
      LOG.debug("cannot check store directory {}: {}", directory, e.toString());
      return Optional.empty();
    }
    try {
      Object key = fileKey(lockPath);
      if (lockKey != null && !lockKey.equals(key)) {
        return Optional.of("lock file " + lockPath + " was replaced");
      }
    } catch (NoSuchFileException e) {
      return Optional.of("lock file " + lockPath + " was removed");
    } catch (IOException e) {
      LOG.debug("cannot check lock file {}: {}", lockPath, e.toString());
    }
    return Optional.empty();
  }

  private void notifyHealth(StoreHealth health) {
    for (StoreHealthListener listener : healthListeners) {
      try {
        listener.onStoreHealth(health);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable e) { // a listener must not break the store, whatever it throws
        LOG.warn("store health listener {} failed; skipped", listener, e);
      }
    }
  }

  private boolean isRotationDue() {
    synchronized (compactionLock) {
      if (compacting) {
        return false;
      }
    }
    // The journal may grow to twice the snapshot it follows: compaction replays and rewrites the
    // whole state, so rewriting a large state more often costs more than it saves; the files on
    // disk stay within about three times its size.
    synchronized (queueLock) {
      return changesSinceRotation >= snapshotEveryChanges
          || journalBytes >= Math.max(maxJournalBytes, 2 * lastSnapshotBytes);
    }
  }

  /**
   * Forces journal {@code g}, starts journal {@code g+1}, closes {@code g}, and has the compactor
   * write snapshot {@code g+1} from the older snapshot and the closed journals. Until that snapshot
   * is durable, loading replays the older snapshot and the whole chain, so a crash loses nothing.
   * If the new journal cannot be created, journal {@code g} stays the open one.
   */
  private void rotate() throws IOException {
    Optional<String> problem = directoryProblem();
    if (problem.isPresent()) {
      degradeForGood(problem.get());
      return;
    }
    long closedGeneration;
    synchronized (queueLock) {
      closedGeneration = generation;
    }
    forceJournal();
    FileChannel next = createJournal(closedGeneration + 1);
    FileChannel closing = journal;
    journal = next;
    allocatedEnd = next.size();
    preallocating = true;
    forcedEnd = RecordCodec.FILE_HEADER;
    synchronized (queueLock) {
      generation = closedGeneration + 1;
      changesSinceRotation = 0;
      journalBytes = RecordCodec.FILE_HEADER;
    }
    try {
      closing.close();
    } catch (IOException e) {
      // Everything in it is forced; only the descriptor may leak.
      LOG.warn("cannot close journal file {}: {}", journalName(closedGeneration), e.toString());
    }
    long base;
    synchronized (compactionLock) {
      base = oldestGeneration;
      compacting = true;
      long nextGeneration = closedGeneration + 1;
      compactor =
          DaemonThreadFactory.named("kmsj-store-compact " + directory.getFileName())
              .newThread(() -> compact(base, nextGeneration));
      compactor.start();
    }
  }

  private void compact(long base, long next) {
    Path snapshotPath = directory.resolve(snapshotName(next));
    try {
      StateModel model = new StateModel(limits);
      Path baseSnapshot = directory.resolve(snapshotName(base));
      if (Files.exists(baseSnapshot)) {
        HostState state = SnapshotFile.read(baseSnapshot, base);
        model.restore(Optional.of(state.identity()), state.ledger());
      }
      for (long g = base; g < next; g++) {
        JournalScan scan = JournalScan.replay(directory.resolve(journalName(g)), g, model);
        if (scan.warning().isPresent()) {
          throw new StoreException(scan.warning().get());
        }
      }
      Optional<HostState> state = model.state();
      if (state.isEmpty()) {
        return; // no identity yet: nothing a snapshot could start from
      }
      SnapshotFile.write(channels, snapshotPath, next, state.get());
      lastSnapshotBytes = Files.size(snapshotPath);
      syncDirectory();
      synchronized (compactionLock) {
        for (long g = oldestGeneration; g < next; g++) {
          Files.deleteIfExists(directory.resolve(journalName(g)));
          Files.deleteIfExists(directory.resolve(snapshotName(g)));
        }
        oldestGeneration = next;
      }
      syncDirectory();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "cannot write snapshot file {} ({}); the journals it would replace are kept",
          snapshotPath,
          e.toString());
    } finally {
      synchronized (compactionLock) {
        compacting = false;
        compactionLock.notifyAll();
      }
    }
  }

  /** Waits for a background compaction to finish. */
  private void awaitCompaction() {
    boolean interrupted = false;
    synchronized (compactionLock) {
      while (compacting) {
        try {
          compactionLock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Creates journal {@code g} (a forced temporary file renamed into place) and opens it for
   * appending; on failure nothing of it is left.
   */
  private FileChannel createJournal(long g) throws IOException {
    Path path = directory.resolve(journalName(g));
    Path tmp = directory.resolve(journalName(g) + ".tmp");
    boolean moved = false;
    try {
      createOwnerOnly(tmp);
      try (FileChannel ch = channels.open(tmp, CREATE_WRITE)) {
        writeFully(ch, RecordCodec.fileHeader(JOURNAL_MAGIC, g));
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      syncDirectory();
      FileChannel ch = channels.open(path, WRITE);
      ch.position(RecordCodec.FILE_HEADER);
      return ch;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(moved ? path : tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (AccessDeniedException e) {
      // Some platforms cannot open a directory; the rename is then as durable as the OS makes it.
      LOG.debug("cannot fsync directory {}", directory, e);
    }
  }

  /**
   * Replaces everything stored with {@code state}, durably: writes it as the next snapshot and
   * starts a new journal after it. For an import into a store no host uses yet; call after {@link
   * #load}.
   *
   * @throws StoreException if the store is degraded or the snapshot cannot be written (the store is
   *     then degraded until it is reopened)
   */
  @Override
  public void replace(HostState state) {
    Objects.requireNonNull(state, "state");
    flush();
    synchronized (queueLock) {
      checkUsable();
      long next = generation + 1;
      try {
        journal.force(false);
        journal.close();
        SnapshotFile.write(channels, directory.resolve(snapshotName(next)), next, state);
        journal = createJournal(next);
        forcedEnd = RecordCodec.FILE_HEADER;
        journalBytes = RecordCodec.FILE_HEADER;
        synchronized (compactionLock) {
          for (long g = oldestGeneration; g < next; g++) {
            Files.deleteIfExists(directory.resolve(journalName(g)));
            Files.deleteIfExists(directory.resolve(snapshotName(g)));
          }
          oldestGeneration = next;
        }
        syncDirectory();
      } catch (IOException e) {
        String reason = "cannot write snapshot " + next + " in " + directory + ": " + e;
        StoreException failure = new StoreException(reason, e);
        degradeForGood(reason);
        throw failure;
      }
      generation = next;
      changesSinceRotation = 0;
      lastSnapshotBytes = sizeOf(directory.resolve(snapshotName(next)));
    }
  }

  /**
   * Forces every appended change to disk and waits for a compaction in progress.
   *
   * @throws StoreException if the store is degraded or becomes degraded meanwhile
   */
  @Override
  public void flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (queueLock) {
      checkUsable();
      flushWaiters.add(done);
      forceRequested = true;
      queueLock.notifyAll();
    }
    HostStore.await(done);
    awaitCompaction();
  }

  /**
   * Stops the writer (a degraded store tries one last write), closes the files and releases the
   * lock.
   *
   * @throws StoreException if a file cannot be closed, or the store was still degraded: the changes
   *     whose write failed are then not stored
   */
  @Override
  public void close() {
    synchronized (queueLock) {
      if (closed) {
        return;
      }
      closing = true;
      queueLock.notifyAll();
    }
    if (writer != null) {
      LockSupport.unpark(writer);
    }
    if (forceTimer != null) {
      forceTimer.cancel();
    }
    if (checkTimer != null) {
      checkTimer.cancel();
    }
    StoreException error = null;
    if (writer != null) {
      joinQuietly(writer);
    }
    awaitCompaction();
    synchronized (queueLock) {
      closed = true;
      if (retryTimer != null) {
        retryTimer.cancel();
        retryTimer = null;
      }
      if (degradedSince != null) {
        error =
            new StoreException(
                "store "
                    + directory
                    + " was closed while degraded since "
                    + degradedSince
                    + " ("
                    + degradedReason
                    + "); the changes whose write failed are not stored");
      }
      try {
        if (journal != null && journal.isOpen()) {
          if (degradedSince == null && dirty) {
            journal.force(false);
          }
          journal.close();
        }
      } catch (IOException e) {
        StoreException closingJournal =
            new StoreException("cannot close journal file " + currentJournalPath(), e);
        if (error == null) {
          error = closingJournal;
        } else {
          error.addSuppressed(closingJournal);
        }
      }
      try {
        try {
          lock.release();
        } finally {
          lockChannel.close();
        }
      } catch (IOException e) {
        StoreException closingLock =
            new StoreException("cannot close store directory " + directory, e);
        if (error == null) {
          error = closingLock;
        } else {
          error.addSuppressed(closingLock);
        }
      }
    }
    if (error != null) {
      throw error;
    }
  }

  private static void joinQuietly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private Path currentJournalPath() {
    return directory.resolve(journalName(generation));
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException("store " + directory + " is closed");
    }
  }

  private void checkUsable() {
    checkOpen();
    if (!loaded) {
      throw new IllegalStateException("load() the store first");
    }
    if (degradedSince != null) {
      throw degradedException();
    }
  }

  private static void closeQuietly(FileChannel ch, Exception primary) {
    try {
      ch.close();
    } catch (IOException e) {
      if (primary != null) {
        primary.addSuppressed(e);
      }
    }
  }

  @Override
  public String toString() {
    return "the store in " + directory + " (" + durability + ")";
  }

  /** Settings of a {@link FileHostStore}, each settable once, validated in {@link #build()}. */
  public static final class Builder {
    /** The default number of journal records after which the journal rotates. */
    public static final long DEFAULT_SNAPSHOT_EVERY_CHANGES = 1_000_000;

    /**
     * The default gather wait of group commit on the system scheduler: 100 µs. Measured on the
     * development VM at 16 busy connections (kms-bench README, "The floor under a durable answer"),
     * it cut the host's CPU per request by 15 % and its fsyncs by about 60 %, for about 100 µs more
     * median latency; a lone client never waits.
     */
    public static final Duration DEFAULT_GROUP_WAIT = Duration.ofNanos(100_000);

    /** The default journal size after which the journal rotates: 4 MiB. */
    public static final long DEFAULT_MAX_JOURNAL_BYTES = 4L << 20;

    private Path directory;
    private Durability durability;
    private Long snapshotEveryChanges;
    private Long maxJournalBytes;
    private ChannelFactory channels;
    private Scheduler time;
    private Duration retryEvery;
    private Duration groupWait;
    private Duration directoryCheckEvery;

    private Builder() {}

    private static <T> T once(T current, T value, String name) {
      return SetOnce.set(current, value, name);
    }

    /** The store directory; created if missing. Required. */
    public Builder directory(Path directory) {
      this.directory = once(this.directory, directory, "directory");
      return this;
    }

    /** What an answered change survives; default {@link Durability#SURVIVES_POWER_LOSS}. */
    public Builder durability(Durability durability) {
      this.durability = once(this.durability, durability, "durability");
      return this;
    }

    /** The journal rotates (and a snapshot follows) after this many records; default 1,000,000. */
    public Builder snapshotEveryChanges(long changes) {
      if (changes < 1) {
        throw new IllegalArgumentException("snapshotEveryChanges must be at least 1: " + changes);
      }
      this.snapshotEveryChanges = once(this.snapshotEveryChanges, changes, "snapshotEveryChanges");
      return this;
    }

    /** The journal rotates once it reaches this size; default 4 MiB. */
    public Builder maxJournalBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxJournalBytes must be at least 1024: " + bytes);
      }
      this.maxJournalBytes = once(this.maxJournalBytes, bytes, "maxJournalBytes");
      return this;
    }

    /**
     * The most the writer waits to gather more changes into one force when changes arrive together
     * (power-loss durability only; 0 to 10 ms; 0 forces at once). The wait runs on the store's
     * {@linkplain #time(Scheduler) ticker}, so the default is {@link #DEFAULT_GROUP_WAIT} on the
     * system scheduler and zero on any other: a manual scheduler that does not move would otherwise
     * hold batches until it does.
     */
    public Builder groupWait(Duration wait) {
      if (wait.isNegative() || wait.compareTo(Duration.ofMillis(10)) > 0) {
        throw new IllegalArgumentException(
            "groupWait must be 0 to 10 ms: " + wait.toNanos() / 1000 + " µs");
      }
      this.groupWait = once(this.groupWait, wait, "groupWait");
      return this;
    }

    /** How often a degraded store tries to write again; default 1 s. */
    public Builder retryEvery(Duration interval) {
      this.retryEvery = once(this.retryEvery, Scheduler.requireInterval(interval), "retryEvery");
      return this;
    }

    /**
     * How often the store checks that its directory and lock file are still the ones it opened;
     * default 5 s. It also checks before every rotation.
     */
    public Builder directoryCheckEvery(Duration interval) {
      this.directoryCheckEvery =
          once(
              this.directoryCheckEvery, Scheduler.requireInterval(interval), "directoryCheckEvery");
      return this;
    }

    /** How journal and snapshot files are opened; default {@link FileChannel#open}. */
    public Builder channels(ChannelFactory channels) {
      this.channels = once(this.channels, channels, "channels");
      return this;
    }

    /**
     * The timers of the force interval, the retries and the directory check, and the clock of
     * {@link StoreHealth.Degraded#since()}; default {@link Scheduler#system()}.
     */
    public Builder time(Scheduler time) {
      this.time = once(this.time, time, "time");
      return this;
    }

    /**
     * Opens the directory and takes its lock; {@link #load} reads it.
     *
     * @throws StoreException if the directory cannot be created or opened, or another store holds
     *     its lock
     * @throws IllegalArgumentException if the directory is missing
     */
    public FileHostStore build() {
      if (directory == null) {
        throw new IllegalArgumentException("directory is required");
      }
      Builder b = new Builder();
      b.directory = directory;
      b.durability = durability == null ? Durability.SURVIVES_POWER_LOSS : durability;
      b.snapshotEveryChanges =
          snapshotEveryChanges == null ? DEFAULT_SNAPSHOT_EVERY_CHANGES : snapshotEveryChanges;
      b.maxJournalBytes = maxJournalBytes == null ? DEFAULT_MAX_JOURNAL_BYTES : maxJournalBytes;
      b.channels = channels == null ? FileChannel::open : channels;
      b.time = time == null ? Scheduler.system() : time;
      b.retryEvery = retryEvery == null ? Duration.ofSeconds(1) : retryEvery;
      b.groupWait =
          groupWait != null
              ? groupWait
              : b.time == Scheduler.system() ? DEFAULT_GROUP_WAIT : Duration.ZERO;
      b.directoryCheckEvery =
          directoryCheckEvery == null ? Duration.ofSeconds(5) : directoryCheckEvery;
      return new FileHostStore(b);
    }
  }

  /** Reading and writing of snapshot files. */
  static final class SnapshotFile {
    private SnapshotFile() {}

    /**
     * Records are streamed to the file in chunks of about this size: a large state never sits in
     * memory twice.
     */
    private static final int CHUNK = 256 * 1024;

    static void write(ChannelFactory channels, Path path, long generation, HostState state)
        throws IOException {
      RecordCodec.Writer w = new RecordCodec.Writer();
      LedgerState ledger = state.ledger();
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      createOwnerOnly(tmp);
      try (FileChannel ch = channels.open(tmp, CREATE_WRITE)) {
        writeFully(ch, RecordCodec.fileHeader(SNAPSHOT_MAGIC, generation));
        RecordCodec.writeSnapshotInfo(
            w, ledger.asOf(), ledger.applications().size(), ledger.clients().size());
        RecordCodec.writeIdentity(w, state.identity());
        for (LedgerState.Application a : ledger.applications()) {
          RecordCodec.writeApplication(w, a);
        }
        for (var c : ledger.clients()) {
          RecordCodec.writeClient(w, c);
          if (w.buffer().position() >= CHUNK) {
            drain(ch, w);
          }
        }
        RecordCodec.writeSnapshotEnd(
            w, 2L + ledger.applications().size() + ledger.clients().size());
        drain(ch, w);
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void drain(FileChannel ch, RecordCodec.Writer w) throws IOException {
      writeFully(ch, w.buffer().flip());
      w.clear();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }

    static HostState read(Path path, long generation) {
      byte[] data;
      try {
        data = Files.readAllBytes(path);
      } catch (IOException e) {
        throw new StoreException("cannot read snapshot file " + path, e);
      }
      long g = RecordCodec.readFileHeader(data, SNAPSHOT_MAGIC);
      if (g != generation) {
        throw corrupt(path, 0, g < 0 ? "bad header" : "header names generation " + g);
      }
      if (RecordCodec.fileVersion(data) < RecordCodec.OLDEST_SNAPSHOT_VERSION) {
        throw new StoreException(
            "snapshot file "
                + path
                + " has format version "
                + RecordCodec.fileVersion(data)
                + ", written by an older kmsj; this one reads versions "
                + RecordCodec.OLDEST_SNAPSHOT_VERSION
                + "-"
                + RecordCodec.VERSION
                + " (export the state with the older version and import it)");
      }
      int offset = RecordCodec.FILE_HEADER;
      RecordCodec.SnapshotInfo info = null;
      HostIdentity identity = null;
      List<LedgerState.Application> applications = new ArrayList<>();
      List<io.github.kmsj.core.ledger.ClientRecord> clients = new ArrayList<>();
      long records = 0;
      while (true) {
        if (!RecordCodec.isFrame(data, offset, data.length)) {
          throw corrupt(
              path,
              offset,
              offset >= data.length
                  ? "it ends before its end record"
                  : "bad record length or checksum");
        }
        int length = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
        Object value;
        try {
          value = RecordCodec.decode(data, offset + RecordCodec.FRAME_HEADER, length);
        } catch (RecordCodec.BadPayloadException e) {
          throw new StoreException(
              "snapshot file "
                  + path
                  + " is corrupt at byte offset "
                  + offset
                  + ": "
                  + e.getMessage(),
              e);
        }
        int at = offset;
        offset += RecordCodec.FRAME_HEADER + length;
        if (records == 0) {
          if (!(value instanceof RecordCodec.SnapshotInfo i)) {
            throw corrupt(path, at, "it does not start with its info record");
          }
          info = i;
        } else if (value instanceof HostChange.IdentitySet set && identity == null) {
          identity = set.identity();
        } else if (value instanceof LedgerState.Application a) {
          applications.add(a);
        } else if (value instanceof io.github.kmsj.core.ledger.ClientRecord c) {
          clients.add(c);
        } else if (value instanceof RecordCodec.SnapshotEnd end) {
          if (end.records() != records || offset != data.length) {
            throw corrupt(path, at, "its end record does not match its contents");
          }
          break;
        } else {
          throw corrupt(path, at, "unexpected record " + value.getClass().getSimpleName());
        }
        records++;
      }
      if (identity == null
          || info.applications() != applications.size()
          || info.clients() != clients.size()) {
        throw corrupt(path, 0, "its info record does not match its contents");
      }
      try {
        return new HostState(identity, new LedgerState(info.asOf(), applications, clients));
      } catch (IllegalArgumentException e) {
        throw new StoreException(
            "snapshot file " + path + " is inconsistent: " + e.getMessage(), e);
      }
    }

    private static StoreException corrupt(Path path, int offset, String why) {
      return new StoreException(
          "snapshot file " + path + " is corrupt at byte offset " + offset + ": " + why);
    }
  }
}
