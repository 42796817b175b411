package io.github.kmsj.core.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback listener that accepts connections, reads whatever arrives and never answers. */
final class SilentServer implements AutoCloseable {
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  SilentServer() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "silent-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket s = listener.accept();
        sockets.add(s);
        Thread t = new Thread(() -> drain(s), "silent-drain");
        t.setDaemon(true);
        t.start();
      }
    } catch (IOException e) {
      // Closed: shutting down.
      return;
    }
  }

  private static void drain(Socket s) {
    byte[] buf = new byte[1024];
    try (InputStream in = s.getInputStream()) {
      while (in.read(buf) >= 0) {
        continue;
      }
    } catch (IOException e) {
      // Closed.
      return;
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
