package io.github.kmsj.core.store;

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
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in store: a directory holding an append-only journal of changes with a CRC32C per
 * record, a snapshot that compacts it, and a lock file. It needs no setup: a missing directory is
 * created. See the package documentation for the file format and for what happens to a damaged
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
 * write or force poisons the store: every pending and later change fails, so nothing is answered as
 * if it had been recorded. A failed compaction only logs: the journals it would have replaced stay,
 * and the next rotation tries again.
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
  private final ChannelFactory channels;
  private final Scheduler time;
  private final FileChannel lockChannel;
  private final FileLock lock;

  /** Guards the queue and the writer's requests; never held while waiting for the disk. */
  private final Object queueLock = new Object();

  private RecordCodec.Writer queued = new RecordCodec.Writer();
  private RecordCodec.Writer spare = new RecordCodec.Writer();
  private List<CompletableFuture<Void>> queuedFutures = new ArrayList<>();
  private List<CompletableFuture<Void>> spareFutures = new ArrayList<>();
  private final List<CompletableFuture<Void>> flushWaiters = new ArrayList<>();
  private boolean forceRequested;
  private boolean closing;

  // Owned by the writer thread once loaded.
  private FileChannel journal;
  private long generation;
  private long journalBytes;
  private long changesSinceRotation;
  private boolean dirty;

  private LedgerLimits limits;
  private Thread writer;
  private Cancellable forceTimer;

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

  private volatile StoreException failure;
  private volatile boolean loaded;
  private volatile boolean closed;

  private FileHostStore(Builder b) {
    this.directory = b.directory;
    this.durability = b.durability;
    this.snapshotEveryChanges = b.snapshotEveryChanges;
    this.maxJournalBytes = b.maxJournalBytes;
    this.channels = b.channels;
    this.time = b.time;
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new StoreException("store directory " + directory + " is not a directory");
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StoreException("cannot create store directory " + directory, e);
    }
    Path lockPath = directory.resolve(LOCK_FILE);
    try {
      lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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

  /** The size of the current journal file in bytes, header included. */
  public long journalBytes() {
    synchronized (queueLock) {
      return journalBytes;
    }
  }

  /** The generation of the current journal; it follows the snapshot of the same generation. */
  public long generation() {
    synchronized (queueLock) {
      return generation;
    }
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
      for (long g = base; journals.containsKey(g); g++) {
        JournalScan scan = JournalScan.replay(journals.get(g), g, model);
        replayed += scan.records();
        lastRecords = scan.records();
        validEnd = scan.validEnd();
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
          createJournal(last);
        } else {
          journal = channels.open(journalPath, WRITE);
          if (journal.size() > validEnd) {
            journal.truncate(validEnd);
            journal.force(true);
          }
          journal.position(validEnd);
          journalBytes = validEnd;
        }
        // Leftovers of a compaction that was interrupted after its snapshot became durable.
        for (var e : journals.headMap(base).entrySet()) {
          Files.deleteIfExists(e.getValue());
        }
        for (var e : snapshots.headMap(base).entrySet()) {
          Files.deleteIfExists(e.getValue());
        }
      } catch (IOException e) {
        throw poison(
            new StoreException("cannot open journal file " + journalPath + " for writing", e));
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

  @Override
  public CompletableFuture<Void> append(HostChange change) {
    Objects.requireNonNull(change, "change");
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (queueLock) {
      checkUsable();
      if (closing) {
        throw new StoreException("store " + directory + " is closing");
      }
      RecordCodec.writeChange(queued, change);
      queuedFutures.add(done);
      if (queuedFutures.size() == 1) {
        queueLock.notifyAll();
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

  /** The writer thread: writes and forces batches until the store closes or fails. */
  private void writeLoop() {
    while (true) {
      RecordCodec.Writer batch;
      List<CompletableFuture<Void>> futures;
      List<CompletableFuture<Void>> flushed;
      boolean force;
      boolean last;
      synchronized (queueLock) {
        while (queuedFutures.isEmpty() && !forceRequested && !closing) {
          try {
            queueLock.wait();
          } catch (InterruptedException e) {
            // Never leave with changes queued: a store thread is stopped by close(), not
            // interrupts.
          }
        }
        batch = queued;
        futures = queuedFutures;
        queued = spare.clear();
        queuedFutures = spareFutures;
        force = forceRequested;
        forceRequested = false;
        flushed = flushWaiters.isEmpty() ? List.of() : new ArrayList<>(flushWaiters);
        flushWaiters.clear();
        last = closing && queued.isEmpty();
      }
      try {
        if (!futures.isEmpty()) {
          writeBatch(batch, futures.size());
          if (durability instanceof Durability.SurvivesPowerLoss) {
            journal.force(false);
          } else {
            dirty = true;
          }
        }
        if ((force || last || !flushed.isEmpty()) && dirty) {
          journal.force(false);
          dirty = false;
        }
        if (durability instanceof Durability.SurvivesPowerLoss) {
          dirty = false;
        }
        complete(futures, null);
        complete(flushed, null);
        if (isRotationDue()) {
          rotate();
        }
      } catch (IOException | RuntimeException e) {
        StoreException f =
            poison(new StoreException("cannot write journal file " + currentJournalPath(), e));
        LOG.error("{}; the host refuses further requests", f.getMessage(), e);
        complete(futures, f);
        complete(flushed, f);
        failQueued(f);
        return;
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

  private void writeBatch(RecordCodec.Writer batch, int records) throws IOException {
    ByteBuffer buf = batch.buffer().flip();
    int n = buf.remaining();
    while (buf.hasRemaining()) {
      journal.write(buf);
    }
    synchronized (queueLock) {
      journalBytes += n;
      changesSinceRotation += records;
    }
  }

  private static void complete(List<CompletableFuture<Void>> futures, StoreException failure) {
    for (CompletableFuture<Void> f : futures) {
      if (failure == null) {
        f.complete(null);
      } else {
        f.completeExceptionally(failure);
      }
    }
  }

  private void failQueued(StoreException f) {
    List<CompletableFuture<Void>> pending;
    synchronized (queueLock) {
      pending = new ArrayList<>(queuedFutures);
      pending.addAll(flushWaiters);
      queuedFutures.clear();
      flushWaiters.clear();
      queued.clear();
    }
    complete(pending, f);
  }

  private boolean isRotationDue() {
    synchronized (compactionLock) {
      if (compacting) {
        return false;
      }
    }
    // The journal may grow as large as the snapshot it follows: rewriting a large state more often
    // than that costs more than it saves, and the files on disk stay within twice its size.
    synchronized (queueLock) {
      return changesSinceRotation >= snapshotEveryChanges
          || journalBytes >= Math.max(maxJournalBytes, lastSnapshotBytes);
    }
  }

  /**
   * Forces and closes journal {@code g}, starts journal {@code g+1}, and has the compactor write
   * snapshot {@code g+1} from the older snapshot and the closed journals. Until that snapshot is
   * durable, loading replays the older snapshot and the whole chain, so a crash loses nothing.
   */
  private void rotate() throws IOException {
    long closedGeneration;
    synchronized (queueLock) {
      closedGeneration = generation;
    }
    journal.force(false);
    dirty = false;
    journal.close();
    createJournal(closedGeneration + 1);
    long base;
    synchronized (queueLock) {
      generation = closedGeneration + 1;
      changesSinceRotation = 0;
    }
    synchronized (compactionLock) {
      base = oldestGeneration;
      compacting = true;
      long next = closedGeneration + 1;
      compactor =
          DaemonThreadFactory.named("kmsj-store-compact " + directory.getFileName())
              .newThread(() -> compact(base, next));
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

  private void createJournal(long g) throws IOException {
    Path path = directory.resolve(journalName(g));
    Path tmp = directory.resolve(journalName(g) + ".tmp");
    try (FileChannel ch = channels.open(tmp, CREATE_WRITE)) {
      ByteBuffer header = RecordCodec.fileHeader(JOURNAL_MAGIC, g);
      while (header.hasRemaining()) {
        ch.write(header);
      }
      ch.force(true);
    }
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory();
    journal = channels.open(path, WRITE);
    journal.position(RecordCodec.FILE_HEADER);
    synchronized (queueLock) {
      journalBytes = RecordCodec.FILE_HEADER;
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
        createJournal(next);
        synchronized (compactionLock) {
          for (long g = oldestGeneration; g < next; g++) {
            Files.deleteIfExists(directory.resolve(journalName(g)));
            Files.deleteIfExists(directory.resolve(snapshotName(g)));
          }
          oldestGeneration = next;
        }
        syncDirectory();
      } catch (IOException e) {
        throw poison(new StoreException("cannot write snapshot " + next + " in " + directory, e));
      }
      generation = next;
      changesSinceRotation = 0;
      lastSnapshotBytes = sizeOf(directory.resolve(snapshotName(next)));
    }
  }

  /** Forces every appended change to disk and waits for a compaction in progress. */
  @Override
  public void flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (queueLock) {
      checkUsable();
      flushWaiters.add(done);
      forceRequested = true;
      queueLock.notifyAll();
    }
    await(done);
    awaitCompaction();
  }

  @Override
  public void close() {
    synchronized (queueLock) {
      if (closed) {
        return;
      }
      closing = true;
      queueLock.notifyAll();
    }
    if (forceTimer != null) {
      forceTimer.cancel();
    }
    StoreException error = null;
    if (writer != null) {
      joinQuietly(writer);
    }
    awaitCompaction();
    synchronized (queueLock) {
      closed = true;
      try {
        if (journal != null && journal.isOpen()) {
          if (failure == null && dirty) {
            journal.force(false);
          }
          journal.close();
        }
      } catch (IOException e) {
        error = new StoreException("cannot close journal file " + currentJournalPath(), e);
      }
      try {
        try {
          lock.release();
        } finally {
          lockChannel.close();
        }
      } catch (IOException e) {
        StoreException closing = new StoreException("cannot close store directory " + directory, e);
        if (error == null) {
          error = closing;
        } else {
          error.addSuppressed(closing);
        }
      }
    }
    if (error == null && failure != null) {
      error = new StoreException("store " + directory + " failed before it was closed", failure);
    }
    if (error != null) {
      throw error;
    }
  }

  private static void await(CompletableFuture<Void> f) {
    try {
      f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof StoreException se) {
        throw new StoreException(se.getMessage(), se);
      }
      throw e;
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

  private StoreException poison(StoreException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
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
    StoreException f = failure;
    if (f != null) {
      throw new StoreException(
          "store " + directory + " failed earlier and accepts no more changes", f);
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
    public static final long DEFAULT_SNAPSHOT_EVERY_CHANGES = 100_000;

    /** The default journal size after which the journal rotates: 4 MiB. */
    public static final long DEFAULT_MAX_JOURNAL_BYTES = 4L << 20;

    private Path directory;
    private Durability durability;
    private Long snapshotEveryChanges;
    private Long maxJournalBytes;
    private ChannelFactory channels;
    private Scheduler time;

    private Builder() {}

    private static <T> T once(T current, T value, String name) {
      Objects.requireNonNull(value, name);
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
      return value;
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

    /** The journal rotates (and a snapshot follows) after this many records; default 100,000. */
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

    /** How journal and snapshot files are opened; default {@link FileChannel#open}. */
    public Builder channels(ChannelFactory channels) {
      this.channels = once(this.channels, channels, "channels");
      return this;
    }

    /** The timer of the force interval; default {@link Scheduler#system()}. */
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
      if (RecordCodec.fileVersion(data) != RecordCodec.VERSION) {
        throw new StoreException(
            "snapshot file "
                + path
                + " has format version "
                + RecordCodec.fileVersion(data)
                + ", written by an older kmsj; this one reads version "
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
