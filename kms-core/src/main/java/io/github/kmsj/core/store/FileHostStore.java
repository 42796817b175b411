package io.github.kmsj.core.store;

import io.github.kmsj.core.count.ApplicationCounts;
import io.github.kmsj.core.count.CounterSnapshot;
import io.github.kmsj.core.host.HostIdentity;
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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * <p>Notes. {@link #append} runs under the host's lock, so writes have one thread at a time; {@link
 * #awaitDurable} runs outside it, so concurrent requests share one {@code force} (group commit).
 * {@code syncLock} orders forces against the journal rotation in {@link #snapshot}, which swaps the
 * channel. A failed write or background fsync poisons the store: every later call throws, so
 * nothing is answered as if it had been recorded.
 */
public final class FileHostStore implements HostStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileHostStore.class);

  static final byte[] JOURNAL_MAGIC = "KMSJ-JNL".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SNAPSHOT_MAGIC = "KMSJ-SNP".getBytes(StandardCharsets.US_ASCII);
  static final String LOCK_FILE = "lock";
  private static final Pattern JOURNAL_NAME = Pattern.compile("journal-(\\d{10})\\.log");
  private static final Pattern SNAPSHOT_NAME = Pattern.compile("snapshot-(\\d{10})\\.bin");

  private final Path directory;
  private final Durability durability;
  private final long snapshotEveryChanges;
  private final long maxJournalBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Object syncLock = new Object();

  /**
   * Grouped durability only: records appended since the last background sync, written to the
   * journal with the next force. Guarded by {@code bufferLock}, which is never held while waiting
   * for the disk.
   */
  private final Object bufferLock = new Object();

  /** The size of each grouped buffer; a record that does not fit is written through at once. */
  static final int GROUP_BUFFER = 1 << 20;

  private ByteBuffer pending;
  private ByteBuffer draining;
  private final RecordCodec.Writer writer = new RecordCodec.Writer();

  private ScheduledExecutorService syncer;
  private ExecutorService snapshotWriter;
  private FileChannel journal;
  private long generation;

  /**
   * The oldest generation whose files may still exist; they go once a newer snapshot is durable.
   */
  private long oldestGeneration;

  /** Whether a snapshot is being written in the background; no other is due until it is done. */
  private volatile boolean snapshotting;

  /** The size of the newest snapshot; the journal may grow to it before the next one is due. */
  private volatile long lastSnapshotBytes;

  private volatile long journalBytes;
  private long changesSinceSnapshot;
  private volatile long appended;
  private volatile long synced;
  private volatile StoreException failure;
  private boolean loaded;
  private volatile boolean closed;

  private FileHostStore(Builder b) {
    this.directory = b.directory;
    this.durability = b.durability;
    this.snapshotEveryChanges = b.snapshotEveryChanges;
    this.maxJournalBytes = b.maxJournalBytes;
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
      throw new StoreException(
          "store directory "
              + directory
              + " is in use by another host (lock file "
              + lockPath
              + " is held)",
          e);
    }
    if (acquired == null) {
      closeQuietly(lockChannel, null);
      throw new StoreException(
          "store directory "
              + directory
              + " is in use by another host (lock file "
              + lockPath
              + " is held)");
    }
    this.lock = acquired;
  }

  /** A builder; {@link Builder#directory} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The store's directory. */
  public Path directory() {
    return directory;
  }

  /** The durability policy. */
  public Durability durability() {
    return durability;
  }

  /** The size of the current journal file in bytes, header included. */
  public long journalBytes() {
    return journalBytes;
  }

  /**
   * The generation of the current journal; it follows the snapshot of the same generation (0:
   * none).
   */
  public long generation() {
    synchronized (syncLock) {
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
  public LoadedState load() {
    synchronized (syncLock) {
      checkOpen();
      if (loaded) {
        throw new IllegalStateException("the store is already loaded");
      }
      TreeMap<Long, Path> journals = new TreeMap<>();
      TreeMap<Long, Path> snapshots = new TreeMap<>();
      list(journals, snapshots);
      List<String> warnings = new ArrayList<>();
      StateModel model = new StateModel();
      Optional<Long> snapshotGeneration = Optional.empty();
      long base = 0;
      if (!snapshots.isEmpty()) {
        base = snapshots.lastKey();
        snapshotGeneration = Optional.of(base);
        model.restore(SnapshotFile.read(snapshots.lastEntry().getValue(), base));
        lastSnapshotBytes = sizeOf(snapshots.lastEntry().getValue());
      }
      // The journals from the snapshot's generation on must form an unbroken chain: each continues
      // the one
      // before it, and the first follows the snapshot (or, for generation 0, nothing).
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
      for (long g = base; journals.containsKey(g); g++) {
        JournalScan scan = JournalScan.replay(journals.get(g), g, model);
        replayed += scan.records();
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
          journal = FileChannel.open(journalPath, StandardOpenOption.WRITE);
          if (journal.size() > validEnd) {
            journal.truncate(validEnd);
            journal.force(true);
          }
          journal.position(validEnd);
          journalBytes = validEnd;
        }
        // Leftovers of a rotation that was interrupted after its snapshot became durable.
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
      changesSinceSnapshot = replayed;
      loaded = true;
      if (durability instanceof Durability.Grouped grouped) {
        startSyncer(grouped.window());
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
      throw new StoreException("cannot read the size of snapshot file " + file, e);
    }
  }

  private void startSyncer(Duration window) {
    pending = ByteBuffer.allocate(GROUP_BUFFER);
    draining = ByteBuffer.allocate(GROUP_BUFFER);
    syncer =
        Executors.newSingleThreadScheduledExecutor(
            daemon("kmsj-store-sync " + directory.getFileName()));
    long nanos = window.toNanos();
    syncer.scheduleWithFixedDelay(this::backgroundSync, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  private void backgroundSync() {
    if (failure != null) {
      return; // logged once when it happened; every request reports it from now on
    }
    try {
      syncNow();
    } catch (StoreException e) {
      // Already kept in 'failure': the next append or awaitDurable throws it to a request.
      LOG.error(
          "background fsync of store {} failed; the host will refuse further requests",
          directory,
          e);
    }
  }

  @Override
  public long append(StoreChange change) {
    Objects.requireNonNull(change, "change");
    checkUsable();
    writer.reset();
    RecordCodec.writeChange(writer, change);
    ByteBuffer buf = writer.buffer().flip();
    int n = buf.remaining();
    if (pending != null && buffer(buf)) {
      journalBytes += n;
      changesSinceSnapshot++;
      appended = appended + 1;
      return appended;
    }
    synchronized (syncLock) {
      writePending();
      try {
        while (buf.hasRemaining()) {
          journal.write(buf);
        }
      } catch (IOException e) {
        throw poison(new StoreException("cannot write journal file " + currentJournalPath(), e));
      }
    }
    journalBytes += n;
    changesSinceSnapshot++;
    appended = appended + 1;
    return appended;
  }

  /**
   * Copies a record into the grouped buffer; false when it does not fit (the caller writes it
   * through).
   */
  private boolean buffer(ByteBuffer record) {
    synchronized (bufferLock) {
      if (record.remaining() > pending.remaining()) {
        return false;
      }
      pending.put(record);
      return true;
    }
  }

  /**
   * Writes the buffered records to the journal; called with {@code syncLock} held, before every
   * force and rotation, so the journal holds every record in order. Appends only wait for the swap,
   * never for the disk.
   */
  private void writePending() {
    if (pending == null) {
      return;
    }
    ByteBuffer out;
    synchronized (bufferLock) {
      if (pending.position() == 0) {
        return;
      }
      out = pending;
      pending.flip();
      ByteBuffer empty = draining.clear();
      draining = out;
      pending = empty;
    }
    try {
      while (out.hasRemaining()) {
        journal.write(out);
      }
    } catch (IOException e) {
      throw poison(new StoreException("cannot write journal file " + currentJournalPath(), e));
    }
  }

  @Override
  public void awaitDurable(long ticket) {
    checkUsable();
    if (durability instanceof Durability.PerRequest && synced < ticket) {
      syncNow();
    }
  }

  private void syncNow() {
    synchronized (syncLock) {
      if (closed || journal == null) {
        return;
      }
      checkUsable();
      long target = appended;
      if (synced >= target) {
        return;
      }
      writePending();
      try {
        journal.force(false);
      } catch (IOException e) {
        throw poison(new StoreException("cannot fsync journal file " + currentJournalPath(), e));
      }
      synced = target;
    }
  }

  @Override
  public boolean isSnapshotDue() {
    // The journal may grow as large as the snapshot it follows: rewriting a large state more often
    // than
    // that costs more than it saves, and the files on disk stay within twice the snapshot's size.
    return !snapshotting
        && (changesSinceSnapshot >= snapshotEveryChanges
            || journalBytes >= Math.max(maxJournalBytes, lastSnapshotBytes));
  }

  /**
   * Starts journal {@code g+1} at once (the current one is forced first), then writes {@code state}
   * as snapshot {@code g+1} on a background thread (temporary file, fsync, atomic rename) and only
   * then deletes the older journals and snapshots. Until the snapshot is durable, loading replays
   * snapshot {@code g} and the chain of journals after it, so a crash at any point loses nothing. A
   * failure of the background write poisons the store.
   */
  @Override
  public void snapshot(HostState state) {
    Objects.requireNonNull(state, "state");
    long next;
    synchronized (syncLock) {
      checkUsable();
      next = generation + 1;
      Path oldJournal = currentJournalPath();
      writePending();
      try {
        journal.force(false);
        journal.close();
        createJournal(next);
      } catch (IOException e) {
        throw poison(new StoreException("cannot rotate journal file " + oldJournal, e));
      }
      generation = next;
      changesSinceSnapshot = 0;
      synced = appended;
      snapshotting = true;
    }
    snapshotWriter().execute(() -> writeSnapshot(next, state));
  }

  private synchronized ExecutorService snapshotWriter() {
    if (snapshotWriter == null) {
      snapshotWriter =
          Executors.newSingleThreadExecutor(
              daemon("kmsj-store-snapshot " + directory.getFileName()));
    }
    return snapshotWriter;
  }

  private void writeSnapshot(long next, HostState state) {
    Path snapshotPath = directory.resolve(snapshotName(next));
    try {
      SnapshotFile.write(snapshotPath, next, state);
      lastSnapshotBytes = Files.size(snapshotPath);
      syncDirectory();
      synchronized (syncLock) {
        for (long g = oldestGeneration; g < next; g++) {
          Files.deleteIfExists(directory.resolve(journalName(g)));
          Files.deleteIfExists(directory.resolve(snapshotName(g)));
        }
        oldestGeneration = next;
        syncDirectory();
      }
    } catch (IOException | RuntimeException e) {
      // Kept in 'failure': the next request fails with it.
      LOG.error(
          "cannot write snapshot file {}; the host will refuse further requests", snapshotPath, e);
      poison(new StoreException("cannot write snapshot file " + snapshotPath, e));
    } finally {
      synchronized (syncLock) {
        snapshotting = false;
        syncLock.notifyAll();
      }
    }
  }

  /** Waits for a background snapshot to finish. */
  private void awaitSnapshot() {
    synchronized (syncLock) {
      boolean interrupted = false;
      while (snapshotting) {
        try {
          syncLock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void createJournal(long g) throws IOException {
    Path path = directory.resolve(journalName(g));
    Path tmp = directory.resolve(journalName(g) + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer header = RecordCodec.fileHeader(JOURNAL_MAGIC, g);
      while (header.hasRemaining()) {
        ch.write(header);
      }
      ch.force(true);
    }
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory();
    journal = FileChannel.open(path, StandardOpenOption.WRITE);
    journal.position(RecordCodec.FILE_HEADER);
    journalBytes = RecordCodec.FILE_HEADER;
  }

  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (AccessDeniedException e) {
      // Some platforms cannot open a directory; the rename is then as durable as the OS makes it.
      LOG.debug("cannot fsync directory {}", directory, e);
    }
  }

  /** Forces the journal and waits for a snapshot being written in the background. */
  @Override
  public void flush() {
    checkUsable();
    syncNow();
    awaitSnapshot();
    checkUsable();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    StoreException error = null;
    if (syncer != null) {
      // Never interrupt: an interrupt during force() closes the channel
      // (ClosedByInterruptException).
      syncer.shutdown();
      awaitTermination(syncer);
    }
    awaitSnapshot();
    if (snapshotWriter != null) {
      snapshotWriter.shutdown();
    }
    synchronized (syncLock) {
      try {
        if (journal != null && failure == null) {
          syncNow();
        }
      } catch (StoreException e) {
        error = e;
      }
      closed = true;
      try {
        if (journal != null) {
          journal.close();
        }
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

  /** Daemon threads with the given name: the store's background work never keeps a JVM alive. */
  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static void awaitTermination(ExecutorService executor) {
    boolean interrupted = false;
    while (true) {
      try {
        if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
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
    return "FileHostStore[" + directory + ", " + durability + "]";
  }

  /** Settings of a {@link FileHostStore}, validated in {@link #build()}. */
  public static final class Builder {
    /** The default number of journal records after which a snapshot is due. */
    public static final long DEFAULT_SNAPSHOT_EVERY_CHANGES = 100_000;

    /** The default journal size after which a snapshot is due: 4 MiB. */
    public static final long DEFAULT_MAX_JOURNAL_BYTES = 4L << 20;

    private Path directory;
    private Durability durability = Durability.PER_REQUEST;
    private long snapshotEveryChanges = DEFAULT_SNAPSHOT_EVERY_CHANGES;
    private long maxJournalBytes = DEFAULT_MAX_JOURNAL_BYTES;

    private Builder() {}

    /** The store directory; created if missing. Required. */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** When records reach the disk; default {@link Durability#PER_REQUEST}. */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /** A snapshot is due after this many journal records; default 100,000. */
    public Builder snapshotEveryChanges(long changes) {
      this.snapshotEveryChanges = changes;
      return this;
    }

    /** A snapshot is due once the journal reaches this size; default 4 MiB. */
    public Builder maxJournalBytes(long bytes) {
      this.maxJournalBytes = bytes;
      return this;
    }

    /**
     * Opens the directory and takes its lock; {@link #load()} reads it.
     *
     * @throws StoreException if the directory cannot be created or opened, or another store holds
     *     its lock
     * @throws IllegalArgumentException if a setting is out of range
     */
    public FileHostStore build() {
      if (directory == null) {
        throw new IllegalArgumentException("directory is required");
      }
      if (snapshotEveryChanges < 1) {
        throw new IllegalArgumentException(
            "snapshotEveryChanges must be at least 1: " + snapshotEveryChanges);
      }
      if (maxJournalBytes < 1024) {
        throw new IllegalArgumentException(
            "maxJournalBytes must be at least 1024: " + maxJournalBytes);
      }
      return new FileHostStore(this);
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

    static void write(Path path, long generation, HostState state) throws IOException {
      RecordCodec.Writer w = new RecordCodec.Writer();
      w.reset();
      CounterSnapshot counts = state.counts();
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        writeFully(ch, RecordCodec.fileHeader(SNAPSHOT_MAGIC, generation));
        RecordCodec.writeSnapshotInfo(
            w, counts.asOf(), counts.applications().size(), state.clients().size());
        RecordCodec.writeIdentity(w, state.identity());
        for (ApplicationCounts a : counts.applications()) {
          RecordCodec.writeApplication(w, a);
        }
        for (ClientRecord c : state.clients()) {
          RecordCodec.writeClient(w, c);
          if (w.buffer().position() >= CHUNK) {
            drain(ch, w);
          }
        }
        RecordCodec.writeSnapshotEnd(w, 2L + counts.applications().size() + state.clients().size());
        drain(ch, w);
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void drain(FileChannel ch, RecordCodec.Writer w) throws IOException {
      writeFully(ch, w.buffer().flip());
      w.reset();
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
      int offset = RecordCodec.FILE_HEADER;
      RecordCodec.SnapshotInfo info = null;
      HostIdentity identity = null;
      List<ApplicationCounts> applications = new ArrayList<>();
      List<ClientRecord> clients = new ArrayList<>();
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
        } else if (value instanceof StoreChange.IdentitySet set && identity == null) {
          identity = set.identity();
        } else if (value instanceof ApplicationCounts a) {
          applications.add(a);
        } else if (value instanceof ClientRecord c) {
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
        return new HostState(identity, new CounterSnapshot(info.asOf(), applications), clients);
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
