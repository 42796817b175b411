package io.github.kmsj.admin.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.github.kmsj.admin.http.Exchange.HttpError;
import io.github.kmsj.core.admin.HostAdmin;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.management.ReadinessResult;
import io.github.kmsj.core.time.DaemonThreadFactory;
import io.github.kmsj.core.time.Ticker;
import io.github.kmsj.core.transport.KmsServer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP admin endpoint of a kmsj host, on the JDK's own {@code com.sun.net.httpserver}: a JSON
 * API over the host's admin surface, {@code GET /metrics} in Prometheus' text format, {@code GET
 * /healthz} (a real activation against the host's own KMS listener) and the status page at {@code
 * GET /}. docs/ADMIN-HTTP.md is the reference.
 *
 * <p>Security: every request except {@code /healthz}, {@code /metrics}, the login form ({@code
 * /login}) and its static style sheet needs the {@link AdminToken}, as {@code Authorization: Bearer
 * TOKEN} or as the session cookie a login with the token gave the browser ({@code HttpOnly;
 * SameSite=Strict}); without it the answer is 401 and nothing changes. A request authenticated by
 * the cookie alone that changes something must also carry {@code X-Kmsj-Request: 1}, which no
 * cross-site form can add. The token is never logged. The endpoint binds loopback unless told
 * otherwise.
 */
public final class AdminHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);

  /** The header a cookie-authenticated change must carry. */
  static final String REQUEST_HEADER = "X-Kmsj-Request";

  private final HttpServer http;
  private final ExecutorService executor;
  private final KmsHost host;
  private final AdminToken token;
  private final Sessions sessions;
  private final PrometheusMeterRegistry registry;
  private final HealthCheck health;
  private final Map<String, Route> routes = new HashMap<>();
  private final List<String> paths = new ArrayList<>();
  private final StatusPage page;
  private final RecentRequests recent;

  /** One API call. */
  @FunctionalInterface
  interface Route {
    void handle(Exchange ex) throws IOException;
  }

  private AdminHttpServer(Builder b) throws IOException {
    this.host = b.host;
    this.token = b.token;
    this.recent = b.recent;
    this.sessions = new Sessions(Ticker.system(), b.random);
    this.registry =
        b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (MeterBinder binder : b.binders) {
      binder.bindTo(registry);
    }
    this.health = new HealthCheck(b.host, b.server, b.healthTimeout);
    this.page = new StatusPage();
    this.executor =
        Executors.newFixedThreadPool(b.threads, DaemonThreadFactory.numbered("kmsj-admin-http"));
    this.http = HttpServer.create(b.address, 64);
    http.setExecutor(executor);
    http.createContext("/", raw -> dispatch(new Exchange(raw)));
    routes();
    if (b.admin != null) {
      new AdminApi(b.admin, b.host.catalog()).routes(this);
    }
  }

  /** A builder for the endpoint of {@code host}; {@link Builder#token} is required. */
  public static Builder builder(KmsHost host) {
    return new Builder(host);
  }

  /** Starts serving. */
  public AdminHttpServer start() {
    http.start();
    LOG.info("admin endpoint on {}", url());
    return this;
  }

  /** {@code http://ADDRESS:PORT/}, IPv6 in brackets. */
  public String url() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host.replaceFirst("%.*$", "") + "]";
    }
    return "http://" + host + ":" + a.getPort() + "/";
  }

  /** The address it listens on, with the port chosen when it was 0. */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  /** The Prometheus registry {@code /metrics} scrapes. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops serving; requests in progress get at most one second to finish. */
  @Override
  public void close() {
    http.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void routes() {
    route("GET /healthz", this::healthz);
    route("GET /metrics", this::metrics);
    route("GET /login", ex -> page.login(ex, 200, false));
    route("POST /login", this::login);
    route("POST /logout", this::logout);
    route("GET /", ex -> page.index(ex));
    route("GET /status.js", ex -> page.asset(ex, "status.js", "text/javascript; charset=utf-8"));
    route("GET /status.css", ex -> page.asset(ex, "status.css", "text/css; charset=utf-8"));
    route("GET /api/recent", this::recentRequests);
  }

  void route(String key, Route route) {
    if (routes.put(key, route) != null) {
      throw new IllegalStateException("route defined twice: " + key);
    }
    String path = key.substring(key.indexOf(' ') + 1);
    if (!paths.contains(path)) {
      paths.add(path);
    }
  }

  private static boolean isPublic(String key) {
    return key.equals("GET /healthz")
        || key.equals("GET /metrics")
        || key.equals("GET /login")
        || key.equals("POST /login")
        // The login form's style sheet: static, the same for every host, no data in it.
        || key.equals("GET /status.css");
  }

  private void dispatch(Exchange ex) {
    String method = ex.method().equals("HEAD") ? "GET" : ex.method();
    String key = method + " " + ex.path();
    int status = 0;
    try {
      Route route = routes.get(key);
      if (!isPublic(key) && !authenticated(ex, method)) {
        if (key.equals("GET /") && ex.header("Authorization").isEmpty()) {
          status = 303; // a browser without a session: to the login form
          ex.redirect("/login");
          return;
        }
        status = 401;
        ex.http.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"kmsj\"");
        error(ex, 401, "a valid admin token is required (Authorization: Bearer TOKEN)");
        return;
      }
      if (route == null) {
        status = paths.contains(ex.path()) ? 405 : 404;
        error(
            ex,
            status,
            status == 405 ? "method not allowed: " + ex.method() : "no such path: " + ex.path());
        return;
      }
      route.handle(ex);
      status = 200;
    } catch (HttpError e) {
      status = e.status;
      answerError(ex, e.status, e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      status = 400;
      answerError(ex, 400, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      status = 500;
      LOG.debug("admin {} {}: {}", ex.method(), ex.path(), e.toString());
      answerError(ex, 500, "I/O error: " + e.getMessage());
    } catch (RuntimeException e) {
      status = 500;
      LOG.warn("admin {} {} failed", ex.method(), ex.path(), e);
      answerError(ex, 500, e.toString());
    } finally {
      LOG.debug("admin {} {} -> {}", ex.method(), ex.path(), status);
      ex.http.close();
    }
  }

  private static void answerError(Exchange ex, int status, String message) {
    if (ex.isAnswered()) {
      return;
    }
    try {
      error(ex, status, message);
    } catch (IOException e) {
      LOG.debug("could not answer {} {}: {}", ex.method(), ex.path(), e.toString());
    }
  }

  static void error(Exchange ex, int status, String message) throws IOException {
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.put("error", message == null ? "error" : message);
    ex.json(status, body);
  }

  /**
   * Whether the request carries the token, or a live session cookie (and, for a change, the request
   * header).
   */
  private boolean authenticated(Exchange ex, String method) {
    String authorization = ex.header("Authorization").orElse(null);
    if (authorization != null) {
      return authorization.regionMatches(true, 0, "Bearer ", 0, 7)
          && token.matches(authorization.substring(7).strip());
    }
    if (!sessions.isValid(ex.cookie(Sessions.COOKIE).orElse(null))) {
      return false;
    }
    return method.equals("GET") || ex.header(REQUEST_HEADER).map("1"::equals).orElse(false);
  }

  private void healthz(Exchange ex) throws IOException {
    ReadinessResult result = health.check();
    ObjectNode body = Exchange.JSON.createObjectNode();
    if (result instanceof ReadinessResult.Ready ready) {
      body.put("status", "ok");
      body.put("latencyMillis", ready.latency().toNanos() / 1e6);
      body.put("currentCount", ready.currentCount());
      ex.json(200, body);
    } else {
      ReadinessResult.NotReady not = (ReadinessResult.NotReady) result;
      body.put("status", "failing");
      body.put("stage", not.stage().name().toLowerCase(java.util.Locale.ROOT));
      body.put("reason", not.cause());
      ex.json(503, body);
    }
  }

  private void metrics(Exchange ex) throws IOException {
    ex.text(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
  }

  private void login(Exchange ex) throws IOException {
    Map<String, String> form = ex.formBody();
    if (!token.matches(form.get("token"))) {
      LOG.info(
          "admin login refused from {}", ex.http.getRemoteAddress().getAddress().getHostAddress());
      page.login(ex, 401, true);
      return;
    }
    String id = sessions.open();
    ex.http
        .getResponseHeaders()
        .add(
            "Set-Cookie",
            Sessions.COOKIE
                + "="
                + id
                + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + Sessions.LIFETIME.toSeconds());
    ex.redirect("/");
  }

  private void logout(Exchange ex) throws IOException {
    sessions.close(ex.cookie(Sessions.COOKIE).orElse(null));
    ex.http
        .getResponseHeaders()
        .add("Set-Cookie", Sessions.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    ex.redirect("/");
  }

  private void recentRequests(Exchange ex) throws IOException {
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.set("requests", EventJson.events(recent == null ? List.of() : recent.requests()));
    body.set("refusals", EventJson.events(recent == null ? List.of() : recent.refusals()));
    ex.json(200, body);
  }

  @Override
  public String toString() {
    return "AdminHttpServer[" + url() + ", " + host + "]";
  }

  /** Settings of an {@link AdminHttpServer}, validated in {@link #build()}. */
  public static final class Builder {
    private final KmsHost host;
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private AdminToken token;
    private KmsServer server;
    private PrometheusMeterRegistry registry;
    private final List<MeterBinder> binders = new ArrayList<>();
    private Duration healthTimeout = Duration.ofSeconds(2);
    private RecentRequests recent;
    private HostAdmin admin;
    private SecureRandom random;
    private int threads = 2;

    private Builder(KmsHost host) {
      this.host = Objects.requireNonNull(host, "host");
    }

    /** Where to listen; default loopback on a port the system picks. */
    public Builder listen(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The bearer token every request but {@code /healthz} and {@code /metrics} must carry. */
    public Builder token(AdminToken token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The host's KMS server: what {@code /healthz} activates against. */
    public Builder server(KmsServer server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    /** The registry {@code /metrics} scrapes; default a new one. */
    public Builder registry(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Meters to bind to the registry, such as kms-metrics' {@code KmsMetrics}; repeatable. */
    public Builder metrics(MeterBinder binder) {
      binders.add(Objects.requireNonNull(binder, "binder"));
      return this;
    }

    /** The bound on one {@code /healthz} activation; default 2 seconds. */
    public Builder healthTimeout(Duration timeout) {
      if (timeout.isNegative()
          || timeout.isZero()
          || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("health timeout must be 1 ms-1 min: " + timeout);
      }
      this.healthTimeout = timeout;
      return this;
    }

    /** The ring of recent requests the status page shows (given to the host as a listener). */
    public Builder recentRequests(RecentRequests recent) {
      this.recent = Objects.requireNonNull(recent, "recent");
      return this;
    }

    /**
     * The host's admin surface the JSON API serves ({@code /api/view}, settings, clients, export,
     * audit); without it only the health check, the metrics and the recent requests are served.
     */
    public Builder admin(HostAdmin admin) {
      this.admin = Objects.requireNonNull(admin, "admin");
      return this;
    }

    /** Where session IDs come from; default a {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Threads serving requests; default 2. */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be 1-64: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * The endpoint, bound but not started.
     *
     * @throws IllegalStateException when no token was given
     * @throws UncheckedIOException when the address cannot be bound
     */
    public AdminHttpServer build() {
      if (token == null) {
        throw new IllegalStateException("the admin endpoint needs a token: token(AdminToken)");
      }
      if (random == null) {
        random = new SecureRandom();
      }
      try {
        return new AdminHttpServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
      }
    }
  }
}
