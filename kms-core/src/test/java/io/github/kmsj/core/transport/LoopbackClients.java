package io.github.kmsj.core.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Many loopback connections held from one thread with non-blocking NIO channels, for load tests.
 * Every wait is bounded by a deadline.
 */
final class LoopbackClients implements AutoCloseable {
  /** Connections opened before waiting for the server to take them: below the backlog of 256. */
  private static final int BATCH = 200;

  final List<SocketChannel> channels = new ArrayList<>();
  private final InetSocketAddress target;

  LoopbackClients(InetSocketAddress target) {
    this.target = target;
  }

  /**
   * Opens {@code n} connections from {@code source} (null: any), writes {@code first} on each (may
   * be empty), and after each batch waits until {@code seen} (the server's count of connections it
   * took or refused) reaches {@code seenBefore} plus the connections opened so far.
   */
  List<SocketChannel> open(
      int n, InetAddress source, byte[] first, LongSupplier seen, long seenBefore)
      throws IOException {
    List<SocketChannel> opened = new ArrayList<>(n);
    try (Selector selector = Selector.open()) {
      for (int done = 0; done < n; ) {
        int batch = Math.min(BATCH, n - done);
        int pending = 0;
        for (int i = 0; i < batch; i++) {
          SocketChannel ch = SocketChannel.open();
          channels.add(ch);
          opened.add(ch);
          ch.configureBlocking(false);
          if (source != null) {
            ch.bind(new InetSocketAddress(source, 0));
          }
          if (ch.connect(target)) {
            write(ch, first);
          } else {
            ch.register(selector, SelectionKey.OP_CONNECT);
            pending++;
          }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending > 0) {
          if (System.nanoTime() > deadline) {
            throw new IOException(pending + " connections did not complete within 10 s");
          }
          selector.select(100);
          for (SelectionKey key : selector.selectedKeys()) {
            SocketChannel ch = (SocketChannel) key.channel();
            if (ch.finishConnect()) {
              key.cancel();
              write(ch, first);
              pending--;
            }
          }
          selector.selectedKeys().clear();
        }
        selector.selectNow(); // deregisters the cancelled keys
        done += batch;
        awaitAtLeast(seen, seenBefore + done, "the server to take " + done + " connections");
      }
    }
    return opened;
  }

  private static void write(SocketChannel ch, byte[] bytes) throws IOException {
    if (bytes.length > 0 && ch.write(ByteBuffer.wrap(bytes)) != bytes.length) {
      throw new IOException("a small first write did not fit the socket buffer");
    }
  }

  /** Waits (at most 20 s) until {@code value} reaches {@code expected}. */
  static void awaitAtLeast(LongSupplier value, long expected, String what) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long v;
    while ((v = value.getAsLong()) < expected) {
      if (System.nanoTime() > deadline) {
        throw new IOException("waited 20 s for " + what + ": " + v + " of " + expected);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  /** Reads one whole PDU (its frag_length) from each channel, within 10 s. */
  static void readOnePduEach(List<SocketChannel> channels) throws IOException {
    ByteBuffer[] got = new ByteBuffer[channels.size()];
    int left = channels.size();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (left > 0) {
      if (System.nanoTime() > deadline) {
        throw new IOException(left + " channels got no whole PDU within 10 s");
      }
      for (int i = 0; i < got.length; i++) {
        if (got[i] != null && !got[i].hasRemaining()) {
          continue;
        }
        if (got[i] == null) {
          got[i] = ByteBuffer.allocate(10);
        }
        if (channels.get(i).read(got[i]) < 0) {
          throw new IOException("closed by the host before its answer");
        }
        if (!got[i].hasRemaining() && got[i].capacity() == 10) {
          int fragLength = (got[i].get(8) & 0xff) | (got[i].get(9) & 0xff) << 8;
          ByteBuffer whole = ByteBuffer.allocate(fragLength);
          got[i].flip();
          whole.put(got[i]);
          got[i] = whole;
          channels.get(i).read(got[i]);
        }
        if (!got[i].hasRemaining()) {
          left--;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** Writes {@code bytes} on each channel. */
  static void writeEach(List<SocketChannel> channels, byte[] bytes) throws IOException {
    for (SocketChannel ch : channels) {
      write(ch, bytes);
    }
  }

  /** How many of {@code channels} the host closed (end of stream or reset) within {@code wait}. */
  static int closedByPeer(List<SocketChannel> channels, int expected, long waitMillis)
      throws IOException {
    boolean[] closed = new boolean[channels.size()];
    int count = 0;
    ByteBuffer scratch = ByteBuffer.allocate(256);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (true) {
      for (int i = 0; i < closed.length; i++) {
        if (closed[i]) {
          continue;
        }
        scratch.clear();
        try {
          closed[i] = channels.get(i).read(scratch) < 0;
        } catch (IOException reset) {
          closed[i] = true;
        }
        if (closed[i]) {
          count++;
        }
      }
      if (count >= expected || System.nanoTime() > deadline) {
        return count;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  @Override
  public void close() throws IOException {
    for (SocketChannel ch : channels) {
      ch.close();
    }
    channels.clear();
  }
}
