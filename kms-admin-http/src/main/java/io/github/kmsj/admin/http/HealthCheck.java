package io.github.kmsj.admin.http;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.management.ReadinessCheck;
import io.github.kmsj.core.management.ReadinessResult;
import io.github.kmsj.core.management.ReadinessResult.NotReady;
import io.github.kmsj.core.transport.KmsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /healthz}: a real activation against the host's own KMS listener with the uncounted
 * probe CMID ({@link ReadinessCheck}), bounded by a timeout. Requests that arrive while a check
 * runs share its result, so a wedged listener never piles up blocked admin threads.
 */
final class HealthCheck {
  private final KmsHost host;
  private final KmsServer server;
  private final Duration timeout;
  private CompletableFuture<ReadinessResult> running;

  HealthCheck(KmsHost host, KmsServer server, Duration timeout) {
    this.host = host;
    this.server = server;
    this.timeout = timeout;
  }

  ReadinessResult check() {
    CompletableFuture<ReadinessResult> mine;
    boolean owner = false;
    synchronized (this) {
      if (running == null) {
        running = new CompletableFuture<>();
        owner = true;
      }
      mine = running;
    }
    if (!owner) {
      return mine.join();
    }
    ReadinessResult result;
    try {
      result = run();
    } catch (RuntimeException e) {
      result = new NotReady(ReadinessResult.Stage.CONNECT, e.toString());
    }
    synchronized (this) {
      running = null;
    }
    mine.complete(result);
    return result;
  }

  private ReadinessResult run() {
    if (server == null) {
      return new NotReady(ReadinessResult.Stage.CONNECT, "no KMS listener was given to check");
    }
    List<InetSocketAddress> bound = server.localAddresses();
    if (bound.isEmpty()) {
      return new NotReady(ReadinessResult.Stage.CONNECT, "the KMS listener is not listening");
    }
    InetSocketAddress address = bound.get(0);
    if (address.getAddress().isAnyLocalAddress()) {
      address = new InetSocketAddress(InetAddress.getLoopbackAddress(), address.getPort());
    }
    return ReadinessCheck.forHost(host, address).timeout(timeout).build().check();
  }
}
