package io.github.kmsj.core.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback listener that never accepts, filled until its accept queue overflows, so that a
 * further connect is never answered and times out: a connect timeout without leaving loopback.
 * Linux drops the SYN when the queue is full (unless {@code tcp_abort_on_overflow} is set); where
 * the platform refuses or queues instead, {@link #isFull()} is false and the test should be
 * skipped.
 */
final class FullBacklogListener implements AutoCloseable {
  private final ServerSocket listener;
  private final List<Socket> fillers = new ArrayList<>();
  private final boolean full;

  FullBacklogListener() throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    boolean timedOut = false;
    for (int i = 0; i < 16 && !timedOut; i++) {
      Socket s = new Socket();
      fillers.add(s);
      try {
        s.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 100);
      } catch (SocketTimeoutException e) {
        timedOut = true;
      } catch (IOException e) {
        break;
      }
    }
    full = timedOut;
  }

  int port() {
    return listener.getLocalPort();
  }

  boolean isFull() {
    return full;
  }

  @Override
  public void close() throws IOException {
    for (Socket s : fillers) {
      s.close();
    }
    listener.close();
  }
}
