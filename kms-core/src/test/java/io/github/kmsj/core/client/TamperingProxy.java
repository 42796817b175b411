package io.github.kmsj.core.client;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a KMS server that passes the client's bytes through and hands
 * each PDU the server sends to a rule: forward it changed, swallow it (the client then waits), or
 * close the client's connection after it. Daemon threads; every socket closes with the proxy.
 */
final class TamperingProxy implements AutoCloseable {
  /**
   * What to do with one PDU from the server; {@code index} counts PDUs on that connection from 0.
   */
  interface Rule {
    Action apply(int index, byte[] pdu);
  }

  /**
   * Forward {@code bytes} (when present), then close the client's connection if {@code closeAfter}.
   */
  record Action(Optional<byte[]> bytes, boolean closeAfter) {
    static Action forward(byte[] pdu) {
      return new Action(Optional.of(pdu), false);
    }

    static Action swallow() {
      return new Action(Optional.empty(), false);
    }

    static Action forwardThenClose(byte[] pdu) {
      return new Action(Optional.of(pdu), true);
    }
  }

  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final Rule rule;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closed;

  TamperingProxy(int upstreamPort, Rule rule) throws IOException {
    this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
    this.rule = rule;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = daemon(this::acceptLoop, "proxy-accept");
  }

  int port() {
    return listener.getLocalPort();
  }

  int accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = listener.accept();
        if (closed) {
          client.close();
          return;
        }
        accepted.incrementAndGet();
        Socket server = new Socket();
        server.connect(upstream, 2000);
        sockets.add(client);
        sockets.add(server);
        daemon(() -> copy(client, server), "proxy-up");
        daemon(() -> framed(server, client), "proxy-down");
      }
    } catch (IOException e) {
      // The listener was closed: the proxy is shutting down.
      return;
    }
  }

  private static void copy(Socket from, Socket to) {
    byte[] buf = new byte[4096];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side closed; the other pump notices on its own.
      return;
    }
  }

  private void framed(Socket from, Socket to) {
    try {
      DataInputStream in = new DataInputStream(from.getInputStream());
      OutputStream out = to.getOutputStream();
      for (int index = 0; ; index++) {
        byte[] header = new byte[16];
        in.readFully(header);
        int fragLength = (header[8] & 0xff) | (header[9] & 0xff) << 8;
        byte[] pdu = new byte[fragLength];
        System.arraycopy(header, 0, pdu, 0, 16);
        in.readFully(pdu, 16, fragLength - 16);
        Action action = rule.apply(index, pdu);
        if (action.bytes().isPresent()) {
          out.write(action.bytes().get());
          out.flush();
        }
        if (action.closeAfter()) {
          to.close();
          return;
        }
      }
    } catch (IOException e) {
      // The server or the client closed.
      return;
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Closes the listener and every connection, and waits for the accept thread to leave: a socket
   * closed while a thread is blocked on it is only released when that thread wakes, and until then
   * it would still accept connections.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    for (Socket s : sockets) {
      try {
        s.shutdownInput();
        s.shutdownOutput();
      } catch (IOException alreadyClosed) {
        // A pump closed it first.
      }
      s.close();
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
