package io.github.kmsj.bench;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.BindPdu;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.PduCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback load generator for a KMS host: a plain {@code main}, not JMH. It starts a {@link
 * KmsServer} in this process on 127.0.0.1 (or drives a given loopback host:port), runs N client
 * threads with precomputed request PDUs from distinct CMIDs, and reports requests/s, latency
 * percentiles, errors and the server's CPU time per request. Bounded by a request count and a
 * duration, whichever ends first, both with hard caps; it stops by itself. Run with {@code --help}.
 */
public final class LoadTool {
  static final long MAX_REQUESTS = 10_000_000L;
  static final double MAX_SECONDS = 600;
  static final int MAX_THREADS = 256;
  static final int MAX_CLIENTS = 1 << 20;

  private static final String USAGE =
      """
      Usage: java -cp kms-bench/target/benchmarks.jar io.github.kmsj.bench.LoadTool [options]

      Drives a KMS host over loopback TCP and reports requests/s, latency percentiles, errors and the
      server's CPU time per request. Without --target it starts a kmsj KmsServer in this JVM on 127.0.0.1
      (an ephemeral port) and measures the CPU of its event-loop threads (kmsj-server-*); with --target it
      drives that server and, given --pid, reads the process's utime+stime from /proc/<pid>/stat.
      Client CPU is never part of the server figure. Only loopback addresses are accepted.

        --mode persistent|new-connection   one long-lived connection per thread, requests back to back,
                                           or connect + bind + request + close for every request
                                           (default persistent)
        --threads N                        client threads = connections (default 16, max 256)
        --requests N                       stop after N measured requests (default 1000000, max 10000000)
        --duration S                       stop after S seconds (default 10, max 600)
        --warmup S                         unmeasured warm-up first, same mode, bounded by the same
                                           caps (default 3; 0 for none)
        --rate R                           open loop: R requests/s in total, latency from the intended
                                           send time (default 0 = closed loop, as fast as answered)
        --version 4|5|6                    KMS protocol (default 6)
        --ndr 32|64                        transfer syntax of the requests (default 32)
        --clients N                        distinct CMIDs cycled through (default 65536, max 1048576)
        --close fin|reset                  how clients close: a normal FIN (default; needs
                                           net.ipv4.tcp_tw_reuse for long new-connection runs) or a
                                           reset (SO_LINGER 0: no TIME_WAIT, but the server sees an error)
        --event-loops N                    in-process server: selector threads (default 2)
        --target HOST:PORT                 drive an external server instead (loopback only)
        --pid PID                          with --target: the server process, for its CPU time
        --help                             this text
      """;

  private LoadTool() {}

  /** Options after validation. */
  record Options(
      boolean persistent,
      int threads,
      long requests,
      double seconds,
      double warmup,
      double rate,
      int version,
      TransferSyntax syntax,
      int clients,
      boolean reset,
      int eventLoops,
      InetSocketAddress target,
      long pid) {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("Run with --help for usage.");
      System.exit(2);
      return;
    }
    if (o == null) {
      System.out.print(USAGE);
      return;
    }
    System.exit(new LoadTool.Run(o).call());
  }

  static Options parse(String[] args) {
    boolean persistent = true;
    int threads = 16;
    long requests = 1_000_000;
    double seconds = 10;
    double warmup = 3;
    double rate = 0;
    int version = 6;
    TransferSyntax syntax = TransferSyntax.NDR32;
    int clients = 65536;
    int eventLoops = 2;
    boolean reset = false;
    InetSocketAddress target = null;
    long pid = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--mode" ->
            persistent =
                switch (v) {
                  case "persistent" -> true;
                  case "new-connection" -> false;
                  default ->
                      throw new IllegalArgumentException(
                          "--mode must be persistent or new-connection: " + v);
                };
        case "--threads" -> threads = (int) range(a, v, 1, MAX_THREADS);
        case "--requests" -> requests = range(a, v, 1, MAX_REQUESTS);
        case "--duration" -> seconds = rangeD(a, v, 0.1, MAX_SECONDS);
        case "--warmup" -> warmup = rangeD(a, v, 0, 60);
        case "--rate" -> rate = rangeD(a, v, 0, 10_000_000);
        case "--version" -> version = (int) range(a, v, 4, 6);
        case "--ndr" ->
            syntax =
                switch (v) {
                  case "32" -> TransferSyntax.NDR32;
                  case "64" -> TransferSyntax.NDR64;
                  default -> throw new IllegalArgumentException("--ndr must be 32 or 64: " + v);
                };
        case "--clients" -> clients = (int) range(a, v, 1, MAX_CLIENTS);
        case "--close" ->
            reset =
                switch (v) {
                  case "fin" -> false;
                  case "reset" -> true;
                  default ->
                      throw new IllegalArgumentException("--close must be fin or reset: " + v);
                };
        case "--event-loops" -> eventLoops = (int) range(a, v, 1, 64);
        case "--target" -> target = loopback(v);
        case "--pid" -> pid = range(a, v, 1, Long.MAX_VALUE);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (pid != 0 && target == null) {
      throw new IllegalArgumentException("--pid needs --target");
    }
    return new Options(
        persistent,
        threads,
        requests,
        seconds,
        warmup,
        rate,
        version,
        syntax,
        clients,
        reset,
        eventLoops,
        target,
        pid);
  }

  static long range(String name, String v, long min, long max) {
    long x;
    try {
      x = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number: " + v);
    }
    if (x < min || x > max) {
      throw new IllegalArgumentException(name + " must be " + min + "-" + max + ": " + v);
    }
    return x;
  }

  static double rangeD(String name, String v, double min, double max) {
    double x;
    try {
      x = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number: " + v);
    }
    if (!(x >= min && x <= max)) {
      throw new IllegalArgumentException(name + " must be " + min + "-" + max + ": " + v);
    }
    return x;
  }

  /** Parses HOST:PORT ([v6]:port too) and refuses anything that is not a loopback address. */
  static InetSocketAddress loopback(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--target must be HOST:PORT: " + hostPort);
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = (int) range("--target port", hostPort.substring(colon + 1), 1, 65535);
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve " + host);
    }
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "refusing "
              + address.getHostAddress()
              + ": the load tool only drives loopback addresses (127.0.0.0/8, ::1)");
    }
    return new InetSocketAddress(address, port);
  }

  /** One run: the server (unless external), the fixtures, the warm-up and the measured phase. */
  static final class Run {
    private final Options o;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private KmsServer server;
    private InetSocketAddress address;
    private byte[] bind;
    private byte[] alter;
    private byte[][] pdus;
    private int mask;

    Run(Options o) {
      this.o = o;
    }

    int call() throws Exception {
      if (!mx.isThreadCpuTimeSupported()) {
        System.err.println(
            "warning: thread CPU time is not supported; server CPU cannot be measured");
      } else {
        mx.setThreadCpuTimeEnabled(true);
      }
      try {
        if (o.target() == null) {
          KmsHost host = KmsHost.builder().build();
          server =
              KmsServer.builder(host.rpcHandler())
                  .listen(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                  .eventLoops(o.eventLoops())
                  .maxConnections(4096)
                  .daemon(true)
                  .build()
                  .start();
          address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port());
        } else {
          address = o.target();
        }
        prepare();
        System.out.printf(
            Locale.ROOT,
            "target %s (%s), mode %s, %d threads, V%d %s, %d distinct CMIDs, at most %d requests / %.1f s%s%n",
            address,
            server != null ? "in-process kmsj, " + o.eventLoops() + " event loops" : "external",
            o.persistent() ? "persistent" : "new-connection",
            o.threads(),
            o.version(),
            o.syntax(),
            o.clients(),
            o.requests(),
            o.seconds(),
            o.rate() > 0 ? String.format(Locale.ROOT, ", open loop %.0f req/s", o.rate()) : "");
        if (o.warmup() > 0) {
          Result w = phase(o.requests(), o.warmup(), 0);
          System.out.printf(
              Locale.ROOT,
              "warm-up: %d requests in %.1f s, %d errors%n",
              w.histogram.count(),
              w.seconds,
              w.errors);
        }
        Result r = phase(o.requests(), o.seconds(), o.warmup() > 0 ? 1 : 0);
        report(r);
        return r.errors == 0 ? 0 : 1;
      } finally {
        if (server != null) {
          server.stop(Duration.ofSeconds(2));
        }
      }
    }

    /** Binds once with the full client logic, then precomputes every PDU this run sends. */
    private void prepare() throws IOException {
      ClientAssociation client = new ClientAssociation(ClientRpcOptions.WINDOWS);
      BindPdu bindPdu = client.bind();
      bind = PduCodec.encode(bindPdu);
      try (Socket s = connect()) {
        Conn c = new Conn(s);
        c.send(bind);
        Optional<BindPdu> alterPdu =
            client.onBindAck(PduCodec.decode(c.receivePdu(), Fixtures.limits()));
        if (alterPdu.isPresent()) {
          alter = PduCodec.encode(alterPdu.get());
          c.send(alter);
          client.onAlterContextResp(
              PduCodec.decode(c.receivePdu(), Fixtures.limits()), alterPdu.get());
        }
      }
      Integer contextId = client.acceptedContexts().get(o.syntax());
      if (contextId == null) {
        throw new IllegalStateException(
            "the host did not accept " + o.syntax() + ": " + client.acceptedContexts());
      }
      int size = Fixtures.powerOfTwoAtLeast(o.clients());
      mask = size - 1;
      pdus = new byte[size][];
      Instant now = Instant.now();
      long base = System.nanoTime() << 20; // CMIDs differ between runs against the same host
      for (int j = 0; j < size; j++) {
        pdus[j] =
            j < o.clients()
                ? Fixtures.requestPdu(
                    o.syntax(),
                    contextId,
                    2,
                    KmsClientCodec.encodeRequest(Fixtures.request(o.version(), base + j, now))
                        .bytes())
                : pdus[j % o.clients()];
      }
    }

    private Socket connect() throws IOException {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.setSoTimeout(5000);
      s.connect(address, 5000);
      return s;
    }

    record Result(
        LatencyHistogram histogram,
        long errors,
        double seconds,
        long serverCpuNanos,
        long serverUserNanos,
        long clientCpuNanos,
        long processCpuNanos,
        String firstError) {}

    private Result phase(long maxRequests, double seconds, int salt) throws InterruptedException {
      AtomicLong budget = new AtomicLong(maxRequests);
      int n = o.threads();
      List<Worker> workers = new ArrayList<>(n);
      CountDownLatch ready = new CountDownLatch(n);
      CountDownLatch go = new CountDownLatch(1);
      for (int t = 0; t < n; t++) {
        Worker w = new Worker(t, budget, ready, go, salt);
        workers.add(w);
        w.thread.start();
      }
      ready.await();
      long serverBefore = serverCpu();
      long userBefore = serverUser();
      long processBefore = processCpu();
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      for (Worker w : workers) {
        w.start = start;
        w.deadline = deadline;
      }
      go.countDown();
      for (Worker w : workers) {
        w.thread.join();
      }
      long elapsed = System.nanoTime() - start;
      long serverCpu = serverCpu() - serverBefore;
      long serverUser = serverUser() - userBefore;
      long processCpu = processCpu() - processBefore;
      LatencyHistogram h = new LatencyHistogram();
      long errors = 0;
      long clientCpu = 0;
      String firstError = null;
      for (Worker w : workers) {
        h.add(w.histogram);
        errors += w.errors;
        clientCpu += w.cpuNanos;
        if (firstError == null) {
          firstError = w.firstError;
        }
      }
      return new Result(
          h, errors, elapsed / 1e9, serverCpu, serverUser, clientCpu, processCpu, firstError);
    }

    /** CPU time of the server: its event-loop threads in process, or the target pid from /proc. */
    private long serverCpu() {
      if (server != null) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
          if (t.getName().startsWith("kmsj-server-")) {
            long c = mx.getThreadCpuTime(t.getId());
            if (c > 0) {
              sum += c;
            }
          }
        }
        return sum;
      }
      if (o.pid() == 0) {
        return -1;
      }
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(o.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14 and 15 of stat(5); f[0] is field 3 (state).
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * (1_000_000_000L / 100); // USER_HZ is 100 on Linux
      } catch (IOException | RuntimeException e) {
        System.err.println("warning: cannot read /proc/" + o.pid() + "/stat: " + e);
        return -1;
      }
    }

    /** User-mode CPU time of the in-process event-loop threads; -1 for an external server. */
    private long serverUser() {
      if (server == null) {
        return -1;
      }
      long sum = 0;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("kmsj-server-")) {
          long c = mx.getThreadUserTime(t.getId());
          if (c > 0) {
            sum += c;
          }
        }
      }
      return sum;
    }

    private static long processCpu() {
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        return os.getProcessCpuTime();
      }
      return -1;
    }

    private void report(Result r) {
      LatencyHistogram h = r.histogram;
      long ok = h.count();
      System.out.printf(
          Locale.ROOT,
          "requests: %d answered, %d errors in %.2f s%s%n",
          ok,
          r.errors,
          r.seconds,
          r.firstError == null ? "" : " (first error: " + r.firstError + ")");
      System.out.printf(Locale.ROOT, "throughput: %.0f requests/s%n", ok / r.seconds);
      System.out.printf(
          Locale.ROOT,
          "latency µs: mean %.1f  p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
          h.mean() / 1e3,
          h.percentile(0.50) / 1e3,
          h.percentile(0.90) / 1e3,
          h.percentile(0.99) / 1e3,
          h.percentile(0.999) / 1e3,
          h.max() / 1e3);
      if (r.serverCpuNanos >= 0 && ok > 0) {
        System.out.printf(
            Locale.ROOT,
            "server CPU: %.2f s = %.1f µs/request (%s)%n",
            r.serverCpuNanos / 1e9,
            r.serverCpuNanos / 1e3 / ok,
            server != null
                ? "event-loop threads kmsj-server-*"
                : "/proc/" + o.pid() + "/stat utime+stime");
        if (r.serverUserNanos >= 0) {
          System.out.printf(
              Locale.ROOT,
              "  of which user %.1f µs/request, kernel %.1f µs/request%n",
              r.serverUserNanos / 1e3 / ok,
              (r.serverCpuNanos - r.serverUserNanos) / 1e3 / ok);
        }
      } else {
        System.out.println("server CPU: not measured (give --pid with --target)");
      }
      System.out.printf(
          Locale.ROOT,
          "client CPU: %.2f s = %.1f µs/request (load tool threads, excluded above)%n",
          r.clientCpuNanos / 1e9,
          ok == 0 ? 0 : r.clientCpuNanos / 1e3 / ok);
      if (server != null && r.processCpuNanos >= 0 && ok > 0) {
        long other = r.processCpuNanos - r.serverCpuNanos - r.clientCpuNanos;
        System.out.printf(
            Locale.ROOT,
            "other CPU of this JVM (GC, JIT, ...): %.2f s = %.1f µs/request (not in either figure)%n",
            other / 1e9,
            (double) other / 1e3 / ok);
      }
    }

    /** One client thread: one connection (persistent) or one per request. */
    private final class Worker implements Runnable {
      final Thread thread;
      final LatencyHistogram histogram = new LatencyHistogram();
      private final int index;
      private final AtomicLong budget;
      private final CountDownLatch ready;
      private final CountDownLatch go;
      private final int salt;
      volatile long start;
      volatile long deadline;
      long errors;
      long cpuNanos;
      String firstError;

      Worker(int index, AtomicLong budget, CountDownLatch ready, CountDownLatch go, int salt) {
        this.index = index;
        this.budget = budget;
        this.ready = ready;
        this.go = go;
        this.salt = salt;
        this.thread = new Thread(this, "load-client-" + index);
        this.thread.setDaemon(true);
      }

      @Override
      public void run() {
        long cpu0 = mx.getCurrentThreadCpuTime();
        Conn conn = null;
        try {
          if (o.persistent()) {
            try {
              conn = open();
            } catch (IOException e) {
              fail(e);
            }
          }
        } finally {
          ready.countDown();
        }
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        long interval = o.rate() > 0 ? (long) (1e9 * o.threads() / o.rate()) : 0;
        long intended = start + (interval == 0 ? 0 : interval * index / o.threads());
        // Thread t sends PDUs t, t + n, t + 2n, ...: distinct CMIDs across threads, offset per
        // phase.
        long k = index + (long) salt * (mask + 1) / 2;
        while (System.nanoTime() - deadline < 0 && budget.getAndDecrement() > 0) {
          if (interval > 0) {
            long wait = intended - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
          }
          byte[] pdu = pdus[(int) (k & mask)];
          k += o.threads();
          long t0 = interval > 0 ? intended : System.nanoTime();
          intended += interval;
          try {
            if (conn == null) {
              conn = open();
            }
            conn.send(pdu);
            int len = conn.receive();
            long t1 = System.nanoTime();
            if (!conn.isSuccess(len)) {
              error(
                  "not a successful response (PTYPE "
                      + (conn.buf[2] & 0xff)
                      + ", "
                      + len
                      + " bytes)");
            } else {
              histogram.record(t1 - t0);
            }
            if (!o.persistent()) {
              conn.close(o.reset());
              conn = null;
            }
          } catch (IOException e) {
            fail(e);
            if (conn != null) {
              conn.close(o.reset());
              conn = null;
            }
            if (errors > 1000) {
              break;
            }
          }
        }
        if (conn != null) {
          conn.close(o.reset());
        }
        cpuNanos = mx.getCurrentThreadCpuTime() - cpu0;
      }

      private Conn open() throws IOException {
        Conn c = new Conn(connect());
        c.send(bind);
        c.expect(c.receive(), 12, "bind_ack");
        if (alter != null) {
          c.send(alter);
          c.expect(c.receive(), 15, "alter_context_resp");
        }
        return c;
      }

      private void fail(IOException e) {
        error(e.toString());
      }

      private void error(String message) {
        errors++;
        if (firstError == null) {
          firstError = message;
        }
      }
    }
  }

  /** A blocking client socket with one reusable receive buffer. */
  private static final class Conn {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final byte[] buf = new byte[8192];

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    void send(byte[] pdu) throws IOException {
      out.write(pdu);
    }

    /** Reads one whole PDU into {@link #buf}; returns its length. */
    int receive() throws IOException {
      int have = 0;
      int need = 10;
      while (have < need) {
        int n = in.read(buf, have, buf.length - have);
        if (n < 0) {
          throw new IOException("connection closed by the host");
        }
        have += n;
        if (need == 10 && have >= 10) {
          need = (buf[8] & 0xff) | (buf[9] & 0xff) << 8;
          if (need < 16 || need > buf.length) {
            throw new IOException("bad frag_length " + need);
          }
        }
      }
      if (have != need) {
        throw new IOException("the host sent more than one PDU");
      }
      return need;
    }

    byte[] receivePdu() throws IOException {
      return java.util.Arrays.copyOf(buf, receive());
    }

    void expect(int len, int ptype, String name) throws IOException {
      if ((buf[2] & 0xff) != ptype) {
        throw new IOException("expected " + name + ", got PTYPE " + (buf[2] & 0xff));
      }
    }

    /**
     * A response PDU whose stub ends in HRESULT 0 and carries a message (longer than a failure
     * stub).
     */
    boolean isSuccess(int len) {
      if ((buf[2] & 0xff) != 2 || len < 64) {
        return false;
      }
      return (buf[len - 4] | buf[len - 3] | buf[len - 2] | buf[len - 1]) == 0;
    }

    /** Closes normally, or with a reset (SO_LINGER 0) so that no TIME_WAIT state piles up. */
    void close(boolean reset) {
      try {
        if (reset) {
          socket.setSoLinger(true, 0);
        }
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
