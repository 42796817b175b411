package io.github.kmsj.examples;

import io.github.kmsj.admin.http.AdminHttpServer;
import io.github.kmsj.admin.http.AdminToken;
import io.github.kmsj.admin.http.RecentRequests;
import io.github.kmsj.core.admin.HostAdmin;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.dns.PublishEvent;
import io.github.kmsj.dns.PublishListener;
import io.github.kmsj.metrics.DnsPublishResults;
import io.github.kmsj.metrics.KmsMetrics;
import io.github.kmsj.metrics.RequestMetrics;
import io.github.kmsj.store.postgres.PostgresHostStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * {@code kmsj host --admin ADDR:PORT --admin-token-file FILE}: the listeners the admin endpoint
 * needs on the host (kms-metrics' {@link RequestMetrics}, the {@link RecentRequests} ring), and the
 * endpoint itself once the server runs.
 */
final class AdminSetup {
  /** The token file's name in the data directory when {@code --admin-token-file} is not given. */
  static final String TOKEN_FILE = "admin.token";

  private final InetSocketAddress address;
  private final AdminToken token;
  private final RequestMetrics requests = new RequestMetrics();
  private final RecentRequests recent = new RecentRequests();
  private final DnsPublishResults dns = new DnsPublishResults();
  private AdminHttpServer server;

  private AdminSetup(InetSocketAddress address, AdminToken token) {
    this.address = address;
    this.token = token;
  }

  /**
   * The admin endpoint {@code options} ask for, its listeners added to {@code host}; empty without
   * {@code --admin}. Reads the token file, creating it when missing.
   */
  static Optional<AdminSetup> configure(
      HostCommand options, KmsHost.Builder host, Optional<Path> dataDir) {
    if (options.admin == null) {
      if (options.adminTokenFile != null) {
        throw new UsageException("--admin-token-file needs --admin ADDR:PORT");
      }
      return Optional.empty();
    }
    InetSocketAddress address = address(options.admin);
    Path file = options.adminTokenFile;
    if (file == null) {
      file =
          dataDir
              .map(d -> d.resolve(TOKEN_FILE))
              .orElseThrow(
                  () ->
                      new UsageException("--admin with --no-store needs --admin-token-file FILE"));
    }
    AdminToken token;
    try {
      token = AdminToken.readOrCreate(file, new SecureRandom());
    } catch (IOException e) {
      throw new UsageException(
          "cannot read or create the admin token file " + file + ": " + Kmsj.describe(e));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--admin-token-file " + file + ": " + e.getMessage());
    }
    AdminSetup setup = new AdminSetup(address, token);
    host.listener(setup.requests).listener(setup.recent);
    return Optional.of(setup);
  }

  /** {@code ADDR:PORT}, {@code [IPv6]:PORT}, or a bare {@code PORT} / {@code :PORT} on loopback. */
  static InetSocketAddress address(String text) {
    String t = text.trim();
    if (t.matches(":?\\d+")) {
      int port = Options.range("--admin port", Integer.parseInt(t.replace(":", "")), 0, 65535);
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
    if (!t.matches(".*:\\d+")) {
      throw new UsageException("--admin wants ADDR:PORT (or a bare PORT on loopback): " + text);
    }
    return HostAddresses.parse(t, 0);
  }

  /** The publish outcomes counted so far. */
  DnsPublishResults dnsResults() {
    return dns;
  }

  /** Counts each outcome of the host's DNS publisher for {@code /metrics}. */
  PublishListener dnsListener() {
    return event -> {
      if (event instanceof PublishEvent.Published) {
        dns.record(DnsPublishResults.Operation.PUBLISH, true);
      } else if (event instanceof PublishEvent.Removed) {
        dns.record(DnsPublishResults.Operation.REMOVE, true);
      } else if (event instanceof PublishEvent.Failed f) {
        dns.record(
            f.operation() == PublishEvent.Operation.REMOVE
                ? DnsPublishResults.Operation.REMOVE
                : DnsPublishResults.Operation.PUBLISH,
            false);
      }
    };
  }

  /** Starts the endpoint for the running {@code server}. */
  AdminHttpServer start(KmsHost host, KmsServer kms, HostAdmin admin) {
    try {
      AdminHttpServer.Builder b =
          AdminHttpServer.builder(host)
              .listen(address)
              .token(token)
              .server(kms)
              .metrics(KmsMetrics.builder(host, requests).server(kms).dns(dns).build())
              .recentRequests(recent)
              .admin(admin);
      if (host.store() instanceof PostgresHostStore pg) {
        b.metrics(new ClusterMeters(pg));
      }
      server = b.build().start();
    } catch (UncheckedIOException e) {
      throw new UsageException(
          "--admin " + HostAddresses.format(address) + ": " + Kmsj.describe(e));
    }
    return server;
  }

  /** The endpoint, once started. */
  Optional<AdminHttpServer> server() {
    return Optional.ofNullable(server);
  }

  void close() {
    if (server != null) {
      server.close();
    }
  }
}
