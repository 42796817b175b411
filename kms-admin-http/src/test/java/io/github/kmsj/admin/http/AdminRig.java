package io.github.kmsj.admin.http;

import io.github.kmsj.core.admin.HostAdmin;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.HostListener;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestCounters;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.metrics.KmsMetrics;
import io.github.kmsj.metrics.RequestMetrics;
import io.github.kmsj.test.KmsTestHost;
import io.github.kmsj.test.TestProduct;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A host on a manual clock with its KMS server on loopback, kms-metrics bound, and its admin
 * endpoint on loopback with a known token; plus an HTTP client and a KMS client for the tests.
 */
final class AdminRig implements AutoCloseable {
  static final String TOKEN = "test-token-0123456789-abcdefghij";

  final ManualScheduler time = new ManualScheduler(KmsTestHost.DEFAULT_START);
  final RequestMetrics requests = new RequestMetrics();
  final RecentRequests recent = new RecentRequests();
  final RequestCounters counters = new RequestCounters();
  final KmsHost host;
  final KmsServer server;
  final HostAdmin hostAdmin;
  final AdminHttpServer admin;
  final KmsClient client;
  final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final SplittableRandom cmids = new SplittableRandom(7);

  AdminRig() {
    this(b -> {}, null);
  }

  AdminRig(Consumer<KmsHost.Builder> settings, HostListener extra) {
    KmsHost.Builder hb =
        KmsHost.builder()
            .time(time)
            .random(new SplittableRandom(1))
            .listener(requests)
            .listener(counters)
            .listener(recent);
    if (extra != null) {
      hb.listener(extra);
    }
    settings.accept(hb);
    host = hb.build();
    server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .eventLoops(1)
            .daemon(true)
            .build()
            .start();
    hostAdmin = HostAdmin.builder(host).server(server).counters(counters).version("test").build();
    admin =
        AdminHttpServer.builder(host)
            .admin(hostAdmin)
            .token(AdminToken.of(TOKEN))
            .server(server)
            .metrics(KmsMetrics.builder(host, requests).server(server).build())
            .recentRequests(recent)
            .healthTimeout(Duration.ofMillis(1500))
            .build()
            .start();
    client =
        KmsClient.builder()
            .clock(time)
            .random(new SplittableRandom(2))
            .timeouts(Duration.ofSeconds(10))
            .build();
  }

  Target target() {
    return Target.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
  }

  ActivationResult activate(TestProduct product) {
    return client.activate(target(), product.request().randomCmid(cmids).build());
  }

  ActivationResult activate(TestProduct product, String workstation) {
    return client.activate(
        target(), product.request().randomCmid(cmids).workstationName(workstation).build());
  }

  URI uri(String path) {
    InetSocketAddress a = admin.address();
    return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + path);
  }

  HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  HttpResponse<String> post(String path, String token, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(
        b.POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    admin.close();
    server.close();
    host.close();
  }
}
