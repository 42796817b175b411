package io.github.kmsj.core.transport;

import io.github.kmsj.core.internal.SetOnce;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
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
 * dual stack by default, IPv4 when the kernel has no IPv6), several requests per connection, a
 * source-address allow-list, connection limits that idle or slow clients cannot exhaust, and a
 * graceful stop that finishes requests in flight.
 *
 * <p>Connection limits (each close is counted in {@link ServerStats}):
 *
 * <ul>
 *   <li>a connection must complete its bind within the {@linkplain Builder#bindTimeout bind
 *       timeout} of its accept (default 10 s);
 *   <li>a PDU must complete within the {@linkplain Builder#pduTimeout PDU timeout} of its first
 *       byte (default 10 s), so a byte now and then does not keep half a PDU alive;
 *   <li>a bound connection is idle from its last whole PDU, not its last byte ({@linkplain
 *       Builder#idleTimeout default 30 s});
 *   <li>one source address (IPv6: one /64) holds at most {@linkplain
 *       Builder#maxConnectionsPerAddress 64} connections, loopback exempt by default; more are
 *       closed at once;
 *   <li>at the {@linkplain Builder#maxConnections connection cap} (default 16,384, lowered at start
 *       to the open-file limit less {@value #FD_RESERVE}) the server keeps accepting and evicts the
 *       oldest connection that has not bound, else the longest idle one; a connection with a call
 *       in flight is never evicted nor timed out.
 * </ul>
 *
 * <p>Threads: {@code eventLoops} selector threads; the first also accepts. Calls are answered on
 * the loop that read them: answering costs microseconds. A call whose answer waits for the host's
 * store stops its connection's reading until the answer completes, then continues on the same loop:
 * no selector thread ever waits for storage. Connection deadlines and the accept back-off run on
 * the {@linkplain Builder#time injected scheduler}, so a test steps them by hand.
 */
public final class KmsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KmsServer.class);

  /** The KMS port. */
  public static final int DEFAULT_PORT = 1688;

  /**
   * How long accepting pauses after accept itself failed (for example, out of file descriptors).
   */
  static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

  /** Descriptors kept free below the open-file limit: listeners, selectors, store files, jars. */
  static final int FD_RESERVE = 128;

  /**
   * How far above the cap connections may be while their evictions are on the way; accepting pauses
   * there. Smaller than {@link #FD_RESERVE}.
   */
  static final int EVICTION_SLACK = 32;

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
  private final AtomicLong refusedByAddressLimit = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();
  private final AtomicLong bindTimeouts = new AtomicLong();
  private final AtomicLong slowPduTimeouts = new AtomicLong();
  private final AtomicLong idleClosed = new AtomicLong();
  private final AtomicLong protocolErrors = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final AddressCounts perAddress;
  private volatile boolean stopping;

  /** The connection cap in force: the configured one, or less when the open-file limit is lower. */
  private volatile int connectionCap;

  /** The cap at normal priority: the configured one lowered to the open-file limit at start. */
  private volatile int normalCap;

  private volatile boolean lowPriority;

  private volatile boolean capReached;

  private OptionalLong openFileLimit = OptionalLong.empty();

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
    this.perAddress = new AddressCounts(config.maxConnectionsPerAddress(), config.exemptLoopback());
    this.connectionCap = config.maxConnections();
    this.normalCap = connectionCap;
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
      openFileLimit = OpenFileLimit.current();
      normalCap = effectiveCap(config.maxConnections(), openFileLimit);
      connectionCap = lowPriority ? Math.min(normalCap, LOW_PRIORITY_CONNECTION_CAP) : normalCap;
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
    log.info(
        "KMS server listening on {}; connection cap {} (configured {}, open-file limit {})",
        boundAddresses,
        connectionCap,
        config.maxConnections(),
        openFileLimit.isPresent() ? openFileLimit.getAsLong() : "unknown");
    return this;
  }

  /** The configured cap, lowered to the open-file limit less {@link #FD_RESERVE} when known. */
  static int effectiveCap(int configured, OptionalLong openFileLimit) {
    if (openFileLimit.isEmpty()) {
      return configured;
    }
    return (int) Math.max(1, Math.min(configured, openFileLimit.getAsLong() - FD_RESERVE));
  }

  /**
   * The connection cap in force: {@linkplain Builder#maxConnections the configured one}, lowered at
   * start to the open-file limit less {@value #FD_RESERVE} descriptors.
   */
  public int connectionCap() {
    return connectionCap;
  }

  private void bind(InetSocketAddress address) throws IOException {
    ServerSocketChannel server = openListener(address);
    servers.add(server);
    boundAddresses.add((InetSocketAddress) server.getLocalAddress());
  }

  /** A non-blocking listener on {@code address} (IPv4 when the wildcard IPv6 one is refused). */
  private ServerSocketChannel openListener(InetSocketAddress address) throws IOException {
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
    return server;
  }

  /**
   * Moves every listen address of a running server to {@code port} ({@code slmgr /sprt}) without
   * losing a request: binds the new port first (if that fails nothing changes), then, on the
   * accepting loop, starts accepting there, takes the connections already waiting in the old
   * listeners' backlogs, and closes the old listeners. Connections accepted on the old port are not
   * touched: they finish their requests and close as they would have. Returns once the old
   * listeners are closed.
   *
   * @param port the new port, 0–65535 (0: a free one)
   * @return the addresses now bound
   * @throws UncheckedIOException if the new port cannot be bound (the old one stays)
   * @throws IllegalStateException if the server is not running
   */
  public List<InetSocketAddress> rebind(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535: " + port);
    }
    List<ServerSocketChannel> old;
    List<ServerSocketChannel> fresh = new ArrayList<>();
    List<InetSocketAddress> before;
    synchronized (this) {
      if (!started || stopping) {
        throw new IllegalStateException("the server is not running");
      }
      before = List.copyOf(boundAddresses);
      try {
        for (InetSocketAddress a : boundAddresses) {
          fresh.add(openListener(new InetSocketAddress(a.getAddress(), port)));
          if (port == 0) {
            // Every address takes the port the first one was given.
            port = ((InetSocketAddress) fresh.get(0).getLocalAddress()).getPort();
          }
        }
      } catch (IOException e) {
        for (ServerSocketChannel f : fresh) {
          closeListener(f);
        }
        throw new UncheckedIOException(
            "cannot listen on port " + port + ": " + e.getMessage() + " (still on " + before + ")",
            e);
      }
      old = List.copyOf(servers);
      servers.clear();
      servers.addAll(fresh);
      boundAddresses.clear();
      for (ServerSocketChannel f : fresh) {
        try {
          boundAddresses.add((InetSocketAddress) f.getLocalAddress());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (config.options().isEmpty()) {
        options = options.withPort(port);
      }
    }
    EventLoop acceptor = loops.get(0);
    CountDownLatch moved = new CountDownLatch(1);
    acceptor.execute(
        () -> {
          try {
            acceptor.moveListeners(old, fresh);
          } finally {
            moved.countDown();
          }
        });
    try {
      if (!moved.await(10, TimeUnit.SECONDS)) {
        log.warn("the accepting loop took more than 10 s to move the listeners");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<InetSocketAddress> after = localAddresses();
    log.info("KMS server moved from {} to {}", before, after);
    return after;
  }

  /**
   * The connection cap in low priority ({@link #lowPriority(boolean)}), unless the configured one
   * is lower.
   */
  public static final int LOW_PRIORITY_CONNECTION_CAP = 256;

  /**
   * Turns low priority on or off ({@code slmgr /cpri}, {@code /spri}) at once. Low priority lowers
   * the event loops' thread priority to {@link Thread#MIN_PRIORITY} and the connection cap to
   * {@value #LOW_PRIORITY_CONNECTION_CAP} (or the configured cap if lower), so at most that many
   * connections are open and beyond it the oldest unbound or longest idle one is evicted. Notes: on
   * Linux the JVM ignores thread priorities unless started with {@code -XX:ThreadPriorityPolicy=1}
   * (and then only as root), so there the cap is the effect; Windows and macOS honour the priority.
   */
  public void lowPriority(boolean low) {
    synchronized (this) {
      lowPriority = low;
      connectionCap = low ? Math.min(normalCap, LOW_PRIORITY_CONNECTION_CAP) : normalCap;
      for (EventLoop loop : loops) {
        loop.thread.setPriority(low ? Thread.MIN_PRIORITY : Thread.NORM_PRIORITY);
      }
    }
    if (!low && acceptPaused && !loops.isEmpty()) {
      EventLoop acceptor = loops.get(0);
      acceptor.execute(acceptor::resumeAccepting);
    }
    log.info(
        "KMS server in {} priority: connection cap {}, thread priority {}",
        low ? "low" : "normal",
        connectionCap,
        low ? Thread.MIN_PRIORITY : Thread.NORM_PRIORITY);
  }

  /** Whether the server runs in low priority. */
  public boolean isLowPriority() {
    return lowPriority;
  }

  private static void closeListener(ServerSocketChannel server) {
    try {
      server.close();
    } catch (IOException e) {
      log.debug("closing {} failed", server, e);
    }
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
        refusedByAddressLimit.get(),
        evicted.get(),
        bindTimeouts.get(),
        slowPduTimeouts.get(),
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

    /** Connections not bound yet, by accept time. */
    private final TickQueue<Conn> unbound = new TickQueue<>();

    /** Bound connections, by the time of their last whole PDU. */
    private final TickQueue<Conn> bound = new TickQueue<>();

    /** Connections with a PDU in progress (and no call in flight), by its first byte's time. */
    private final TickQueue<Conn> partial = new TickQueue<>();

    /** What the acceptor reads to choose where to evict; refreshed after every loop iteration. */
    private volatile EvictionCandidates candidates = EvictionCandidates.NONE;

    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private final CountDownLatch drained = new CountDownLatch(1);
    private final RandomGenerator assocIds;
    private boolean draining;
    private boolean shutdown;

    /** Whether accepting is paused because accept itself failed; a timer ends the pause. */
    private boolean acceptBackedOff;

    /** The repeating deadline sweep, posted to this loop by the scheduler. */
    private Cancellable sweep;

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

    /**
     * On this (the accepting) loop: accepts on {@code fresh}, then takes what waits in the backlogs
     * of {@code old} and closes them, so that no connection the kernel completed is reset.
     */
    void moveListeners(List<ServerSocketChannel> old, List<ServerSocketChannel> fresh) {
      int ops = acceptPaused || acceptBackedOff || draining ? 0 : SelectionKey.OP_ACCEPT;
      for (ServerSocketChannel f : fresh) {
        try {
          f.register(selector, ops, f);
        } catch (ClosedChannelException e) {
          log.warn("the new listener {} closed before it was registered", f, e);
        }
      }
      for (ServerSocketChannel o : old) {
        SelectionKey key = o.keyFor(selector);
        if (key != null) {
          key.cancel();
        }
        try {
          SocketChannel channel;
          while ((channel = o.accept()) != null) {
            handOff(channel);
          }
        } catch (IOException e) {
          log.debug("taking the backlog of {} failed", o, e);
        }
        closeListener(o);
      }
    }

    void execute(Runnable task) {
      tasks.add(task);
      selector.wakeup();
    }

    @Override
    public void run() {
      long shortest =
          Math.min(
              config.idleTimeout().toNanos(),
              Math.min(config.bindTimeout().toNanos(), config.pduTimeout().toNanos()));
      Duration tick =
          Duration.ofNanos(
              Math.max(
                  TimeUnit.MILLISECONDS.toNanos(10),
                  Math.min(shortest / 4, TimeUnit.SECONDS.toNanos(1))));
      sweep = time.scheduleEvery(tick, tick, () -> execute(this::closeExpired));
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
        publishCandidates();
        if (draining && isEmpty()) {
          drained.countDown();
        }
      }
      sweep.cancel();
      // Connections handed to this loop after it stopped still wait in the queue: register() closes
      // them (shutdown is set), so none leaks a socket or the open-connection count.
      Runnable pending;
      while ((pending = tasks.poll()) != null) {
        pending.run();
      }
      for (Conn conn : all()) {
        conn.close("server stopped");
      }
      try {
        selector.close();
      } catch (IOException e) {
        log.debug("closing the selector failed", e);
      }
      drained.countDown();
    }

    private boolean isEmpty() {
      return unbound.isEmpty() && bound.isEmpty();
    }

    private List<Conn> all() {
      List<Conn> all = new ArrayList<>(unbound.size() + bound.size());
      for (TickQueue.Node<Conn> n = unbound.first(); n != null; n = n.next()) {
        all.add(n.value);
      }
      for (TickQueue.Node<Conn> n = bound.first(); n != null; n = n.next()) {
        all.add(n.value);
      }
      return all;
    }

    /**
     * Closes the connections past a deadline, on the server's ticker. Each queue is sorted by its
     * tick, so only expired heads are visited (and the few calls in flight among them).
     */
    private void closeExpired() {
      long now = time.read();
      closeExpired(
          unbound, now, config.bindTimeout(), bindTimeouts, "no bind within %d ms of accept");
      closeExpired(
          partial, now, config.pduTimeout(), slowPduTimeouts, "a PDU took longer than %d ms");
      closeExpired(bound, now, config.idleTimeout(), idleClosed, "no PDU for %d ms");
      if (draining && isEmpty()) {
        drained.countDown();
      }
      publishCandidates();
    }

    private void closeExpired(
        TickQueue<Conn> queue, long now, Duration limit, AtomicLong counter, String reason) {
      long nanos = limit.toNanos();
      TickQueue.Node<Conn> n = queue.first();
      while (n != null && now - n.tick > nanos) {
        TickQueue.Node<Conn> next = n.next();
        if (!n.value.connection.isAwaiting()) {
          counter.incrementAndGet();
          n.value.close(String.format(reason, limit.toMillis()));
        }
        n = next;
      }
    }

    /**
     * The oldest unbound connection, else the longest idle one, never one with a call in flight.
     */
    private Conn evictionCandidate() {
      Conn c = oldestWithoutACall(unbound);
      return c != null ? c : oldestWithoutACall(bound);
    }

    private Conn oldestWithoutACall(TickQueue<Conn> queue) {
      for (TickQueue.Node<Conn> n = queue.first(); n != null; n = n.next()) {
        if (!n.value.connection.isAwaiting()) {
          return n.value;
        }
      }
      return null;
    }

    private void publishCandidates() {
      Conn c = evictionCandidate();
      EvictionCandidates now =
          c == null
              ? EvictionCandidates.NONE
              : new EvictionCandidates(true, !c.order.isIn(bound), c.order.tick);
      if (!now.equals(candidates)) {
        candidates = now;
      }
    }

    /** Closes this loop's best eviction candidate to make room for a new connection. */
    private void evictOne() {
      Conn victim = evictionCandidate();
      if (victim == null) {
        // Another accept took it meanwhile; the connection count stays above the cap until one
        // closes, and accepting pauses at EVICTION_SLACK above it.
        return;
      }
      evicted.incrementAndGet();
      victim.close("evicted at the connection cap of " + connectionCap);
      publishCandidates();
    }

    private void endAcceptBackoff() {
      acceptBackedOff = false;
      if (!acceptPaused && !draining && !stopping) {
        setAcceptInterest(SelectionKey.OP_ACCEPT);
      }
    }

    private void acceptAll(ServerSocketChannel server) {
      while (open.get() < ceiling()) {
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
      InetAddress source = perAddress.acquire(remote.getAddress());
      if (source == null) {
        refusedByAddressLimit.incrementAndGet();
        log.debug(
            "refused connection from {}: {} connections from that source are open",
            remote,
            config.maxConnectionsPerAddress());
        closeChannel(channel);
        return;
      }
      accepted.incrementAndGet();
      EventLoop target = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
      if (open.incrementAndGet() > connectionCap) {
        EventLoop victims = victimLoop();
        if (victims == null) {
          victims = target; // no loop has published a candidate yet: look there when it runs
        }
        if (!capReached) {
          capReached = true;
          log.warn(
              "{} connections open, the cap: each new one now evicts the oldest unbound or the"
                  + " longest idle one",
              connectionCap);
        }
        // Posted before the registration below, so the new connection is never its own victim.
        victims.execute(victims::evictOne);
      }
      target.execute(() -> target.register(channel, new PeerInfo(remote, local), source));
    }

    /** The loop holding the oldest unbound connection, else the longest idle one, else null. */
    private EventLoop victimLoop() {
      EventLoop best = null;
      EvictionCandidates bestCandidates = EvictionCandidates.NONE;
      for (EventLoop loop : loops) {
        EvictionCandidates c = loop.candidates;
        if (c.isBetterThan(bestCandidates)) {
          best = loop;
          bestCandidates = c;
        }
      }
      return best;
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
      if (open.get() < ceiling()) {
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

    void register(SocketChannel channel, PeerInfo peer, InetAddress source) {
      if (shutdown || draining) {
        closeChannel(channel);
        connectionClosed(source);
        return;
      }
      try {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        int assoc = assocIds.nextInt() | 1;
        KmsConnection connection = new KmsConnection(options, handler, peer, assoc);
        Conn conn = new Conn(this, channel, connection, source);
        conn.key = channel.register(selector, SelectionKey.OP_READ, conn);
        unbound.addLast(conn.order, time.read());
        log.debug("connection from {}", peer.remote());
      } catch (IOException e) {
        log.debug("could not register the connection from {}", peer.remote(), e);
        closeChannel(channel);
        connectionClosed(source);
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
      for (Conn conn : all()) {
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
      if (isEmpty()) {
        drained.countDown();
      }
    }

    void shutdown() {
      shutdown = true;
    }
  }

  /** Where accepting pauses: the cap plus the evictions on their way. */
  private int ceiling() {
    return connectionCap + EVICTION_SLACK;
  }

  /**
   * What one loop offers for eviction: whether it has a connection to evict, whether that one is
   * unbound, and its tick (accept time if unbound, last PDU if bound).
   */
  private record EvictionCandidates(boolean present, boolean unbound, long tick) {
    static final EvictionCandidates NONE = new EvictionCandidates(false, false, 0);

    /** Unbound beats bound; within a kind the older tick wins. */
    boolean isBetterThan(EvictionCandidates other) {
      if (!present) {
        return false;
      }
      if (!other.present || unbound != other.unbound) {
        return !other.present || unbound;
      }
      return tick - other.tick < 0;
    }
  }

  private void connectionClosed(InetAddress source) {
    perAddress.release(source);
    if (open.decrementAndGet() < ceiling() && acceptPaused && !loops.isEmpty()) {
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

    /** The per-address key to release on close ({@link AddressCounts#EXEMPT} if not counted). */
    private final InetAddress source;

    /** Its place in {@code unbound} (tick: accept) or {@code bound} (tick: last whole PDU). */
    private final TickQueue.Node<Conn> order = new TickQueue.Node<>(this);

    /** Its place in {@code partial} while a PDU is in progress (tick: the PDU's first byte). */
    private final TickQueue.Node<Conn> pdu = new TickQueue.Node<>(this);

    private SelectionKey key;
    private ByteBuffer pendingWrite;
    private boolean closeAfterFlush;
    private boolean closed;

    /** Whether reading stopped because input arrived while an answer was awaited. */
    private boolean readPaused;

    /** Whether the awaited answer's completion will resume this connection. */
    private boolean awaitHooked;

    Conn(EventLoop loop, SocketChannel channel, KmsConnection connection, InetAddress source) {
      this.loop = loop;
      this.channel = channel;
      this.connection = connection;
      this.source = source;
    }

    /**
     * Moves the connection in the deadline queues after it processed input: a whole PDU on a bound
     * connection restarts its idle time; bytes of an unfinished PDU start its PDU clock unless it
     * already runs for that PDU; a call in flight stops it.
     */
    private void track(long pdusBefore, boolean answerArrived) {
      long now = time.read();
      boolean wholePdu = connection.pduCount() != pdusBefore;
      if ((wholePdu || answerArrived) && connection.isBound()) {
        loop.bound.addLast(order, now);
      }
      if (connection.bufferedBytes() == 0 || connection.isAwaiting()) {
        pdu.unlink();
      } else if (wholePdu || !pdu.isIn(loop.partial)) {
        loop.partial.addLast(pdu, now);
      }
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
      buffer.flip();
      long before = connection.requestCount();
      long pdusBefore = connection.pduCount();
      byte[] out = connection.receive(buffer);
      calls.addAndGet(connection.requestCount() - before);
      track(pdusBefore, false);
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
      long before = connection.requestCount();
      long pdusBefore = connection.pduCount();
      byte[] out = connection.resume();
      calls.addAndGet(connection.requestCount() - before);
      track(pdusBefore, true);
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
      order.unlink();
      pdu.unlink();
      connectionClosed(source);
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
    private Duration bindTimeout;
    private Duration pduTimeout;
    private Integer maxConnections;
    private Integer maxConnectionsPerAddress;
    private Boolean exemptLoopback;
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
      return SetOnce.set(current, value, name);
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

    /**
     * How long a bound connection may go without a whole PDU; default 30 s. Bytes of a PDU that has
     * not completed do not count as activity.
     */
    public Builder idleTimeout(Duration timeout) {
      ServerSettings.requirePositive(timeout, "idle timeout");
      this.idleTimeout = once(this.idleTimeout, timeout, "idleTimeout");
      return this;
    }

    /** How long a connection may take from its accept to its first whole bind; default 10 s. */
    public Builder bindTimeout(Duration timeout) {
      ServerSettings.requirePositive(timeout, "bind timeout");
      this.bindTimeout = once(this.bindTimeout, timeout, "bindTimeout");
      return this;
    }

    /**
     * How long one PDU may take from its first byte to its last; default 10 s. A client sending a
     * byte now and then cannot keep a connection with half a PDU open.
     */
    public Builder pduTimeout(Duration timeout) {
      ServerSettings.requirePositive(timeout, "PDU timeout");
      this.pduTimeout = once(this.pduTimeout, timeout, "pduTimeout");
      return this;
    }

    /**
     * The most simultaneous connections; default 16,384. At start it is lowered to the process's
     * open-file limit less {@value KmsServer#FD_RESERVE} ({@link KmsServer#connectionCap()}). At
     * the cap the server keeps accepting and closes, for each new connection, the oldest one that
     * has not bound, else the longest idle one.
     */
    public Builder maxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1: " + max);
      }
      this.maxConnections = once(this.maxConnections, max, "maxConnections");
      return this;
    }

    /**
     * The most simultaneous connections from one IPv4 address or one IPv6 /64; default 64. More are
     * closed at once, without an answer.
     */
    public Builder maxConnectionsPerAddress(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1: " + max);
      }
      this.maxConnectionsPerAddress =
          once(this.maxConnectionsPerAddress, max, "maxConnectionsPerAddress");
      return this;
    }

    /**
     * Whether loopback sources (127.0.0.0/8, ::1) are exempt from {@link
     * #maxConnectionsPerAddress}; default true.
     */
    public Builder exemptLoopback(boolean exempt) {
      this.exemptLoopback = once(this.exemptLoopback, exempt, "exemptLoopback");
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
     * The ticker and timers of the connection deadlines and the accept back-off; default {@link
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
              bindTimeout == null ? Duration.ofSeconds(10) : bindTimeout,
              pduTimeout == null ? Duration.ofSeconds(10) : pduTimeout,
              maxConnections == null ? 16_384 : maxConnections,
              maxConnectionsPerAddress == null ? 64 : maxConnectionsPerAddress,
              exemptLoopback == null || exemptLoopback,
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
