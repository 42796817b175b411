package io.github.kmsj.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@link FileHostStore.ChannelFactory} wrappers for tests: one that remembers, per file, how many
 * bytes were forced to disk (so a test can cut a copy of the directory back to what a power loss
 * would leave), a gate that holds every {@code force} until the test releases it (a stalled disk),
 * and injected I/O errors on writes or forces until {@link #heal()} (a full or failing disk).
 */
public final class TestChannels implements FileHostStore.ChannelFactory {

  private final Map<Path, Long> forcedSize = new ConcurrentHashMap<>();

  /** Per file, the byte ranges written since its latest force: what a power loss takes back. */
  private final Map<Path, java.util.List<long[]>> unforced = new ConcurrentHashMap<>();

  private final Semaphore gate = new Semaphore(0);
  private final Object forceCount = new Object();
  private int forces;
  private int arrivedAtGate;
  private int faults;
  private volatile boolean gated;
  private volatile boolean dead;
  private volatile String writeFault;
  private volatile String forceFault;

  /** The factory to give {@link FileHostStore.Builder#channels}. */
  public TestChannels() {}

  @Override
  public FileChannel open(Path path, Set<OpenOption> options) throws IOException {
    if (dead) {
      throw new IOException("power is off");
    }
    FileChannel ch = FileChannel.open(path, options);
    // What is in a file when it is opened was forced before (the store creates files as forced
    // temporary files renamed into place) or is the empty file just created.
    forcedSize.putIfAbsent(path.toAbsolutePath(), ch.size());
    return new Tracked(path.toAbsolutePath(), ch);
  }

  /** From now on every force waits for a {@link #release} permit. */
  public void closeGate() {
    gated = true;
  }

  /** Lets {@code forces} more forces through. */
  public void release(int forces) {
    gate.release(forces);
  }

  /** Opens the gate for good. */
  public void openGate() {
    gated = false;
    gate.release(1_000_000);
  }

  /** How many forces wait at the gate now. */
  public int waitingAtGate() {
    return gate.getQueueLength();
  }

  /** Cuts the power: every later operation fails, as a machine that is gone would. */
  public void powerOff() {
    dead = true;
  }

  /**
   * From now on every write fails with an {@link IOException} with {@code message}, after writing
   * half of what it was given (a torn write), until {@link #heal()}.
   */
  public void failWrites(String message) {
    writeFault = message;
  }

  /** From now on every force fails with an {@link IOException} with {@code message}. */
  public void failForces(String message) {
    forceFault = message;
  }

  /** Ends {@link #failWrites} and {@link #failForces}. */
  public void heal() {
    writeFault = null;
    forceFault = null;
  }

  /** Waits (at most 30 s) until {@code n} injected faults have been raised in all. */
  public void awaitFaults(int n) throws InterruptedException {
    awaitCount(() -> faults, n, "injected faults");
  }

  /** Waits (at most 30 s) until {@code n} forces in all have arrived at the closed gate. */
  public void awaitArrivedAtGate(int n) throws InterruptedException {
    awaitCount(() -> arrivedAtGate, n, "forces at the gate");
  }

  private void awaitCount(java.util.function.IntSupplier count, int n, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (forceCount) {
      while (count.getAsInt() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("only " + count.getAsInt() + " of " + n + " " + what);
        }
        TimeUnit.NANOSECONDS.timedWait(forceCount, left);
      }
    }
  }

  private IOException fault(String message) {
    synchronized (forceCount) {
      faults++;
      forceCount.notifyAll();
    }
    return new IOException(message);
  }

  /** The number of forces completed so far. */
  public int forces() {
    synchronized (forceCount) {
      return forces;
    }
  }

  /** Waits (at most 30 s) until {@code n} forces have completed. */
  public void awaitForces(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (forceCount) {
      while (forces < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("only " + forces + " of " + n + " forces happened");
        }
        TimeUnit.NANOSECONDS.timedWait(forceCount, left);
      }
    }
  }

  /**
   * Copies the store files of {@code from} into {@code to} as a power loss would leave them: each
   * cut to its size at its latest force, and every range written since that force (an overwrite of
   * preallocated zeros) zeroed again.
   */
  public void copyAsAfterPowerLoss(Path from, Path to) throws IOException {
    java.nio.file.Files.createDirectories(to);
    try (var files = java.nio.file.Files.list(from)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.equals(FileHostStore.LOCK_FILE) || name.endsWith(".tmp")) {
          continue; // a temporary file was never renamed into place: it does not count
        }
        byte[] data = java.nio.file.Files.readAllBytes(f);
        int keep = (int) Math.min(data.length, forcedSize(f));
        byte[] kept = java.util.Arrays.copyOf(data, keep);
        for (long[] r : unforcedRanges(f)) {
          for (long i = r[0]; i < Math.min(r[1], keep); i++) {
            kept[(int) i] = 0;
          }
        }
        java.nio.file.Files.write(to.resolve(name), kept);
      }
    }
  }

  private java.util.List<long[]> unforcedRanges(Path path) {
    java.util.List<long[]> ranges =
        unforced.computeIfAbsent(path.toAbsolutePath(), p -> new java.util.ArrayList<>());
    synchronized (ranges) {
      return new java.util.ArrayList<>(ranges);
    }
  }

  private void wrote(Path path, long from, long n) {
    if (n > 0) {
      java.util.List<long[]> ranges =
          unforced.computeIfAbsent(path, p -> new java.util.ArrayList<>());
      synchronized (ranges) {
        ranges.add(new long[] {from, from + n});
      }
    }
  }

  private void forced(Path path) {
    java.util.List<long[]> ranges =
        unforced.computeIfAbsent(path, p -> new java.util.ArrayList<>());
    synchronized (ranges) {
      ranges.clear();
    }
  }

  /** The bytes of {@code path} known to be on disk: its size at its latest force. */
  public long forcedSize(Path path) {
    return forcedSize.getOrDefault(path.toAbsolutePath(), 0L);
  }

  private final class Tracked extends FileChannel {
    private final Path path;
    private final FileChannel delegate;

    Tracked(Path path, FileChannel delegate) {
      this.path = path;
      this.delegate = delegate;
    }

    private void alive() throws IOException {
      if (dead) {
        throw new IOException("power is off");
      }
    }

    @Override
    public void force(boolean metaData) throws IOException {
      alive();
      String fault = forceFault;
      if (fault != null) {
        throw fault(fault);
      }
      if (gated) {
        synchronized (forceCount) {
          arrivedAtGate++;
          forceCount.notifyAll();
        }
        try {
          if (!gate.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new IOException("the test never released the gate");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted at the gate", e);
        }
      }
      alive();
      long size = delegate.size();
      delegate.force(metaData);
      forcedSize.put(path, size);
      forced(path);
      synchronized (forceCount) {
        forces++;
        forceCount.notifyAll();
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      alive();
      return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      alive();
      return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      alive();
      String fault = writeFault;
      if (fault != null) {
        int half = src.remaining() / 2;
        ByteBuffer torn = src.duplicate();
        torn.limit(torn.position() + half);
        long at = delegate.position();
        wrote(path, at, delegate.write(torn));
        throw fault(fault);
      }
      long at = delegate.position();
      int n = delegate.write(src);
      wrote(path, at, n);
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      alive();
      return delegate.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
      return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      delegate.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      alive();
      delegate.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      alive();
      return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      alive();
      return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      alive();
      return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      alive();
      int n = delegate.write(src, position);
      wrote(path, position, n);
      return n;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      throw new UnsupportedOperationException("the store never maps files");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      delegate.close();
    }
  }
}
