package io.github.kmsj.core.transport;

import io.github.kmsj.core.time.Cancellable;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking TCP server for KMS on top of {@link KmsConnection}: several listen addresses (IPv6
 * dual stack by default, IPv4 when the kernel has no IPv6), several requests per connection, an
 * idle timeout, a cap on simultaneous connections (extra ones wait in the kernel backlog), a
 * source-address allow-list and a graceful stop that finishes requests in flight.
 *
 * <p>Threads: {@code eventLoops} selector threads; the first also accepts. Calls are answered on
 * the loop that read them: answering costs microseconds. A call whose answer waits for the host's
 * store stops its connection's reading until the answer completes, then continues on the same loop:
 * no selector thread ever waits for storage. Idle timeouts and the accept back-off run on the
 * {@linkplain Builder#time injected scheduler}, so a test steps them by hand.
 */
public final class KmsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KmsServer.class);

  /** The KMS port. */
  public static final int DEFAULT_PORT = 1688;

  /**
   * How long accepting pauses after accept itself failed (for example, out of file descriptors).
   */
  static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

  private static final DaemonThreadFactory THREADS = DaemonThreadFactory.named("kmsj-server");

  private final ServerSettings config;
  private final CallHandler handler;
  private final Scheduler time;
  private final List<ServerSocketChannel> servers = new ArrayList<>();
  private final List<InetSocketAddress> boundAddresses = new ArrayList<>();
  private final List<EventLoop> loops = new ArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong idleClosed = new AtomicLong();
  private final AtomicLong protocolErrors = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private volatile boolean stopping;

  /**
   * Whether the acceptor stopped accepting at the connection cap. A closing connection wakes the
   * acceptor only then: waking it (and scanning its keys) on every close cost a cross-thread
   * wake-up per connection. Written only by the first event loop.
   */
  private volatile boolean acceptPaused;

  private volatile ConnectionOptions options;
  private boolean started;

  private KmsServer(CallHandler handler, ServerSettings config) {
    this.config = config;
    this.handler = handler;
    this.time = config.time();
  }

  /** The server's settings. */
  public ServerSettings settings() {
    return config;
  }

  /** A builder for a server answering calls with {@code handler}. */
  public static Builder builder(CallHandler handler) {
    return new Builder(handler);
  }

  /**
   * Binds every listen address and starts the event loops.
   *
   * @throws UncheckedIOException when an address cannot be bound (nothing stays bound then)
   */
  public synchronized KmsServer start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    try {
      for (InetSocketAddress address : config.listen()) {
        bind(address);
      }
      options =
          config
              .options()
              .orElseGet(() -> ConnectionOptions.DEFAULT.withPort(boundAddresses.get(0).getPort()));
      for (int i = 0; i < config.eventLoops(); i++) {
        loops.add(new EventLoop(i));
      }
      for (ServerSocketChannel server : servers) {
        loops.get(0).registerServer(server);
      }
    } catch (IOException e) {
      closeQuietly();
      throw new UncheckedIOException(
          "cannot start the KMS server on " + config.listen() + ": " + e.getMessage(), e);
    }
    for (EventLoop loop : loops) {
      loop.thread.start();
    }
    log.info("KMS server listening on {}", boundAddresses);
    return this;
  }

  private void bind(InetSocketAddress address) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(address, config.backlog());
    } catch (UnsupportedAddressTypeException | SocketException e) {
      server.close();
      if (!(address.getAddress() instanceof Inet6Address)
          || !address.getAddress().isAnyLocalAddress()) {
        throw e;
      }
      InetSocketAddress v4 =
          new InetSocketAddress(InetAddress.getByName("0.0.0.0"), address.getPort());
      log.info("IPv6 is not available ({}); listening on {} instead", e.getMessage(), v4);
      server = ServerSocketChannel.open();
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(v4, config.backlog());
    }
    server.configureBlocking(false);
    servers.add(server);
    boundAddresses.add((InetSocketAddress) server.getLocalAddress());
  }

  /** The addresses actually bound (with the real port when port 0 was asked for). */
  public synchronized List<InetSocketAddress> localAddresses() {
    return List.copyOf(boundAddresses);
  }

  /** The first bound port. */
  public int port() {
    return localAddresses().get(0).getPort();
  }

  /** The current counters. */
  public ServerStats stats() {
    return new ServerStats(
        open.get(),
        accepted.get(),
        refused.get(),
        idleClosed.get(),
        protocolErrors.get(),
        calls.get());
  }

  /**
   * Stops accepting, lets connections finish the request they are in, then closes everything; waits
   * at most {@code grace}.
   *
   * @return true when every connection finished within {@code grace}
   */
  public boolean stop(Duration grace) {
    synchronized (this) {
      if (!started || stopping) {
        return true;
      }
      stopping = true;
    }
    for (EventLoop loop : loops) {
      loop.execute(loop::beginStop);
    }
    boolean clean = true;
    long deadline = time.read() + grace.toNanos();
    for (EventLoop loop : loops) {
      try {
        long left = Math.max(0, deadline - time.read());
        clean &= loop.drained.await(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        clean = false;
      }
    }
    for (EventLoop loop : loops) {
      loop.execute(loop::shutdown);
    }
    for (EventLoop loop : loops) {
      try {
        loop.thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeQuietly();
    log.info("KMS server stopped ({})", clean ? "all requests finished" : "grace period ran out");
    return clean;
  }

  /** Stops with a 5-second grace period. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }

  private void closeQuietly() {
    for (ServerSocketChannel server : servers) {
      try {
        server.close();
      } catch (IOException e) {
        log.debug("closing {} failed", server, e);
      }
    }
  }

  /** One selector thread and the connections registered on it. */
  private final class EventLoop implements Runnable {
    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<Conn> conns = new HashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private final CountDownLatch drained = new CountDownLatch(1);
    private final RandomGenerator assocIds;
    private boolean draining;
    private boolean shutdown;

    /** Whether accepting is paused because accept itself failed; a timer ends the pause. */
    private boolean acceptBackedOff;

    /** The repeating idle check, posted to this loop by the scheduler. */
    private Cancellable idleCheck;

    EventLoop(int index) throws IOException {
      this.selector = Selector.open();
      this.thread = THREADS.newThread(this);
      this.thread.setName("kmsj-server-" + index);
      this.thread.setDaemon(config.daemon());
      this.assocIds = config.random().get();
    }

    void registerServer(ServerSocketChannel server) throws ClosedChannelException {
      server.register(selector, SelectionKey.OP_ACCEPT, server);
    }

    void execute(Runnable task) {
      tasks.add(task);
      selector.wakeup();
    }

    @Override
    public void run() {
      Duration tick =
          Duration.ofNanos(
              Math.max(
                  TimeUnit.MILLISECONDS.toNanos(10),
                  Math.min(config.idleTimeout().toNanos() / 4, TimeUnit.SECONDS.toNanos(1))));
      idleCheck = time.scheduleEvery(tick, tick, () -> execute(this::closeIdle));
      while (!shutdown) {
        try {
          selector.select();
        } catch (IOException e) {
          log.error("selector failed; stopping this event loop", e);
          break;
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        Set<SelectionKey> keys = selector.selectedKeys();
        for (SelectionKey key : keys) {
          if (!key.isValid()) {
            continue;
          }
          if (key.attachment() instanceof ServerSocketChannel server) {
            acceptAll(server);
          } else {
            Conn conn = (Conn) key.attachment();
            try {
              if (key.isWritable()) {
                conn.flush();
              }
              if (key.isValid() && key.isReadable()) {
                conn.read();
              }
            } catch (RuntimeException e) {
              // A failing handler ends only its own connection.
              log.warn("closing {}: {}", conn.connection.peer().remote(), e.toString(), e);
              conn.close("failed: " + e);
            }
          }
        }
        keys.clear();
        if (draining && conns.isEmpty()) {
          drained.countDown();
        }
      }
      idleCheck.cancel();
      // Connections handed to this loop after it stopped still wait in the queue: register() closes
      // them (shutdown is set), so none leaks a socket or the open-connection count.
      Runnable pending;
      while ((pending = tasks.poll()) != null) {
        pending.run();
      }
      for (Conn conn : new ArrayList<>(conns)) {
        conn.close("server stopped");
      }
      try {
        selector.close();
      } catch (IOException e) {
        log.debug("closing the selector failed", e);
      }
      drained.countDown();
    }

    /** Closes the connections silent for longer than the idle timeout, on the server's ticker. */
    private void closeIdle() {
      long now = time.read();
      long idleNanos = config.idleTimeout().toNanos();
      for (Conn conn : new ArrayList<>(conns)) {
        if (!conn.connection.isAwaiting() && now - conn.lastActivity > idleNanos) {
          idleClosed.incrementAndGet();
          conn.close("idle for " + config.idleTimeout().toSeconds() + " s");
        }
      }
      if (draining && conns.isEmpty()) {
        drained.countDown();
      }
    }

    private void endAcceptBackoff() {
      acceptBackedOff = false;
      if (!acceptPaused && !draining && !stopping) {
        setAcceptInterest(SelectionKey.OP_ACCEPT);
      }
    }

    private void acceptAll(ServerSocketChannel server) {
      while (open.get() < config.maxConnections()) {
        SocketChannel channel;
        try {
          channel = server.accept();
        } catch (IOException e) {
          // Typically "too many open files": retrying at once would spin. Stop accepting for a
          // while.
          log.warn(
              "accept on {} failed: {}; accepting again in {} ms",
              server,
              e.toString(),
              ACCEPT_BACKOFF.toMillis());
          acceptBackedOff = true;
          setAcceptInterest(0);
          time.schedule(ACCEPT_BACKOFF, () -> execute(this::endAcceptBackoff));
          return;
        }
        if (channel == null) {
          return;
        }
        handOff(channel);
      }
      pauseAccepting();
    }

    private void handOff(SocketChannel channel) {
      InetSocketAddress remote;
      InetSocketAddress local;
      try {
        remote = (InetSocketAddress) channel.getRemoteAddress();
        local = (InetSocketAddress) channel.getLocalAddress();
      } catch (IOException e) {
        closeChannel(channel);
        return;
      }
      if (!config.filter().admits(remote.getAddress())) {
        refused.incrementAndGet();
        log.info("refused connection from {}: not in the allow-list {}", remote, config.filter());
        closeChannel(channel);
        return;
      }
      accepted.incrementAndGet();
      open.incrementAndGet();
      EventLoop target = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
      target.execute(() -> target.register(channel, new PeerInfo(remote, local)));
    }

    private void setAcceptInterest(int ops) {
      for (SelectionKey key : selector.keys()) {
        if (key.attachment() instanceof ServerSocketChannel && key.isValid()) {
          key.interestOps(ops);
        }
      }
    }

    private void pauseAccepting() {
      acceptPaused = true;
      // A connection that closed before the flag was set did not see it: check again (both sides
      // use volatiles, so either this read sees its decrement or it saw the flag and asked for a
      // resume).
      if (open.get() < config.maxConnections()) {
        acceptPaused = false;
        return;
      }
      for (SelectionKey key : selector.keys()) {
        if (key.attachment() instanceof ServerSocketChannel && key.isValid()) {
          key.interestOps(0);
        }
      }
    }

    void resumeAccepting() {
      if (draining || stopping) {
        return;
      }
      acceptPaused = false;
      if (acceptBackedOff) {
        return; // endAcceptBackoff resumes
      }
      for (SelectionKey key : selector.keys()) {
        if (key.attachment() instanceof ServerSocketChannel server && key.isValid()) {
          key.interestOps(SelectionKey.OP_ACCEPT);
          acceptAll(server);
        }
      }
    }

    void register(SocketChannel channel, PeerInfo peer) {
      if (shutdown || draining) {
        closeChannel(channel);
        connectionClosed();
        return;
      }
      try {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        int assoc = assocIds.nextInt() | 1;
        KmsConnection connection = new KmsConnection(options, handler, peer, assoc);
        Conn conn = new Conn(this, channel, connection);
        conn.key = channel.register(selector, SelectionKey.OP_READ, conn);
        conns.add(conn);
        log.debug("connection from {}", peer.remote());
      } catch (IOException e) {
        log.debug("could not register the connection from {}", peer.remote(), e);
        closeChannel(channel);
        connectionClosed();
      }
    }

    void beginStop() {
      draining = true;
      if (this == loops.get(0)) {
        for (SelectionKey key : selector.keys()) {
          if (key.attachment() instanceof ServerSocketChannel) {
            key.cancel();
          }
        }
      }
      for (Conn conn : new ArrayList<>(conns)) {
        // Bytes already in the socket's receive buffer are a request in flight too: take them in
        // before deciding whether the connection is idle.
        if (!conn.connection.isAwaiting() && conn.pendingWrite == null) {
          try {
            conn.read();
          } catch (RuntimeException e) {
            conn.close("failed: " + e);
          }
        }
        if (!conn.closed) {
          conn.closeWhenIdle();
        }
      }
      if (conns.isEmpty()) {
        drained.countDown();
      }
    }

    void shutdown() {
      shutdown = true;
    }
  }

  private void connectionClosed() {
    if (open.decrementAndGet() < config.maxConnections() && acceptPaused && !loops.isEmpty()) {
      EventLoop acceptor = loops.get(0);
      acceptor.execute(acceptor::resumeAccepting);
    }
  }

  private static void closeChannel(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing {} failed", channel, e);
    }
  }

  /** The I/O state of one connection, owned by its event loop. */
  private final class Conn {
    private final EventLoop loop;
    private final SocketChannel channel;
    private final KmsConnection connection;
    private SelectionKey key;
    private ByteBuffer pendingWrite;
    private long lastActivity = time.read();
    private boolean closeAfterFlush;
    private boolean closed;

    /** Whether reading stopped because input arrived while an answer was awaited. */
    private boolean readPaused;

    /** Whether the awaited answer's completion will resume this connection. */
    private boolean awaitHooked;

    Conn(EventLoop loop, SocketChannel channel, KmsConnection connection) {
      this.loop = loop;
      this.channel = channel;
      this.connection = connection;
    }

    void read() {
      if (connection.isAwaiting() && !readPaused) {
        // More input while an answer is awaited: stop reading (Netty's autoRead off) after taking
        // this chunk, so a flooding client cannot grow its buffer.
        readPaused = true;
        if (pendingWrite == null) {
          key.interestOps(0);
        }
      }
      ByteBuffer buffer = loop.readBuffer;
      buffer.clear();
      int n;
      try {
        n = channel.read(buffer);
      } catch (IOException e) {
        close("read failed: " + e.getMessage());
        return;
      }
      if (n < 0) {
        close("closed by the client");
        return;
      }
      lastActivity = time.read();
      buffer.flip();
      long before = connection.requestCount();
      byte[] out = connection.receive(buffer);
      calls.addAndGet(connection.requestCount() - before);
      afterReceive(out);
    }

    /**
     * Called on the loop once the awaited answer completed: writes it (and what the calls received
     * meanwhile produce), then reads again.
     */
    void resume() {
      if (closed) {
        return;
      }
      lastActivity = time.read();
      long before = connection.requestCount();
      byte[] out = connection.resume();
      calls.addAndGet(connection.requestCount() - before);
      if (readPaused && !connection.isAwaiting() && pendingWrite == null && key.isValid()) {
        updateInterest();
      }
      afterReceive(out);
    }

    /** Reads unless a write is pending, or input arrived while an answer is still awaited. */
    private void updateInterest() {
      if (pendingWrite != null) {
        key.interestOps(SelectionKey.OP_WRITE);
      } else if (readPaused && connection.isAwaiting()) {
        key.interestOps(0);
      } else {
        readPaused = false;
        key.interestOps(SelectionKey.OP_READ);
      }
    }

    private void afterReceive(byte[] out) {
      if (connection.isClosing()) {
        String reason = connection.closeReason().orElse("");
        if (reason.startsWith("undecodable") || reason.startsWith("protocol")) {
          protocolErrors.incrementAndGet();
        }
        log.debug("closing {}: {}", connection.peer().remote(), reason);
        closeAfterFlush = true;
      } else if (connection.isAwaiting() && !awaitHooked) {
        // Calls on one association stay in order: nothing more is processed until the answer is
        // durable (KmsConnection keeps what arrives meanwhile). Reading stops only if the client
        // sends more while it waits (see read()): a client that waits for its answer, as KMS
        // clients do, costs no interest change at all.
        awaitHooked = true;
        connection
            .awaited()
            .whenComplete(
                (v, e) ->
                    loop.execute(
                        () -> {
                          awaitHooked = false;
                          resume();
                        }));
      }
      if (out.length > 0) {
        write(ByteBuffer.wrap(out));
      } else if (closeAfterFlush) {
        close(connection.closeReason().orElse("closing"));
      } else if (loop.draining && !connection.hasPartialInput()) {
        close("server stopping");
      }
    }

    private void write(ByteBuffer out) {
      try {
        channel.write(out);
      } catch (IOException e) {
        close("write failed: " + e.getMessage());
        return;
      }
      if (out.hasRemaining()) {
        pendingWrite = out;
        key.interestOps(SelectionKey.OP_WRITE);
      } else {
        afterWrite();
      }
    }

    void flush() {
      if (pendingWrite == null) {
        return;
      }
      try {
        channel.write(pendingWrite);
      } catch (IOException e) {
        close("write failed: " + e.getMessage());
        return;
      }
      if (!pendingWrite.hasRemaining()) {
        pendingWrite = null;
        updateInterest();
        afterWrite();
      }
    }

    private void afterWrite() {
      if (closeAfterFlush || (loop.draining && !connection.hasPartialInput())) {
        close(connection.closeReason().orElse("server stopping"));
      }
    }

    void closeWhenIdle() {
      if (pendingWrite == null && !connection.hasPartialInput()) {
        close("server stopping");
      } else {
        closeAfterFlush |= pendingWrite != null && !connection.hasPartialInput();
      }
    }

    void close(String reason) {
      if (closed) {
        return;
      }
      closed = true;
      log.debug("connection {} closed: {}", connection.peer().remote(), reason);
      if (key != null) {
        key.cancel();
      }
      closeChannel(channel);
      loop.conns.remove(this);
      connectionClosed();
    }
  }

  /**
   * Settings of a {@link KmsServer}. Each may be set once (a second call fails, naming the
   * setting); {@link #build()} copies them into an immutable {@link ServerSettings}, so a builder
   * can build several independent servers and nothing set afterwards reaches a built one.
   */
  public static final class Builder {
    private final CallHandler handler;
    private List<InetSocketAddress> listen;
    private Duration idleTimeout;
    private Integer maxConnections;
    private Integer backlog;
    private Integer eventLoops;
    private AddressFilter filter;
    private ConnectionOptions options;
    private Supplier<RandomGenerator> random;
    private Boolean daemon;
    private Scheduler time;

    private Builder(CallHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    private static <T> T once(T current, T value, String name) {
      Objects.requireNonNull(value, name);
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
      return value;
    }

    /**
     * The addresses to listen on; default {@code [::]:1688} (dual stack, IPv4 when IPv6 is off).
     */
    public Builder listen(List<InetSocketAddress> addresses) {
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("at least one listen address is needed");
      }
      this.listen = once(this.listen, List.copyOf(addresses), "listen");
      return this;
    }

    /** One listen address. */
    public Builder listen(InetSocketAddress address) {
      return listen(List.of(address));
    }

    /** How long a connection may stay silent; default 30 s. */
    public Builder idleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "idle timeout must be positive: " + timeout.toMillis() + " ms");
      }
      this.idleTimeout = once(this.idleTimeout, timeout, "idleTimeout");
      return this;
    }

    /** The most simultaneous connections; others wait in the backlog. Default 1024. */
    public Builder maxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1: " + max);
      }
      this.maxConnections = once(this.maxConnections, max, "maxConnections");
      return this;
    }

    /** The listen backlog; default 256. */
    public Builder backlog(int backlog) {
      if (backlog < 1) {
        throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
      }
      this.backlog = once(this.backlog, backlog, "backlog");
      return this;
    }

    /** The number of selector threads; default min(2, cores). */
    public Builder eventLoops(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("eventLoops must be 1-64: " + n);
      }
      this.eventLoops = once(this.eventLoops, n, "eventLoops");
      return this;
    }

    /** The source-address allow-list; default {@link AddressFilter#localNetworks()}. */
    public Builder allow(AddressFilter filter) {
      this.filter = once(this.filter, filter, "allow");
      return this;
    }

    /** RPC features and limits; the default announces the first bound port. */
    public Builder connectionOptions(ConnectionOptions options) {
      this.options = once(this.options, options, "connectionOptions");
      return this;
    }

    /** Where association group IDs come from; default a SecureRandom per event loop. */
    public Builder random(Supplier<RandomGenerator> random) {
      this.random = once(this.random, random, "random");
      return this;
    }

    /** Whether the event loop threads are daemon threads; default false. */
    public Builder daemon(boolean daemon) {
      this.daemon = once(this.daemon, daemon, "daemon");
      return this;
    }

    /**
     * The ticker and timers of idle timeouts and accept back-off; default {@link
     * Scheduler#system()}.
     */
    public Builder time(Scheduler time) {
      this.time = once(this.time, time, "time");
      return this;
    }

    /** The server, not yet started. */
    public KmsServer build() {
      return new KmsServer(
          handler,
          new ServerSettings(
              listen == null ? List.of(new InetSocketAddress(wildcard6(), DEFAULT_PORT)) : listen,
              idleTimeout == null ? Duration.ofSeconds(30) : idleTimeout,
              maxConnections == null ? 1024 : maxConnections,
              backlog == null ? 256 : backlog,
              eventLoops == null
                  ? Math.min(2, Runtime.getRuntime().availableProcessors())
                  : eventLoops,
              filter == null ? AddressFilter.localNetworks() : filter,
              Optional.ofNullable(options),
              random == null ? SecureRandom::new : random,
              daemon != null && daemon,
              time == null ? Scheduler.system() : time));
    }

    private static InetAddress wildcard6() {
      try {
        return InetAddress.getByName("::");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
