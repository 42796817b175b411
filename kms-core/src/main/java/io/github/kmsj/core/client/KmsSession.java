package io.github.kmsj.core.client;

import io.github.kmsj.core.internal.RpcConnection;
import io.github.kmsj.core.time.Ticker;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.rpc.RpcFaultException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A series of activation requests to one {@link Target}, over one RPC association when the client's
 * {@link ConnectionMode} says so, as vlmcs {@code -n} sends them. Obtained from {@link
 * KmsClient#open}.
 *
 * <p>The session connects at its first request. With discovery it tries each candidate in the
 * locator's order until one answers, then stays with that host while it can be reached; when it
 * cannot, the next request starts over from the target. When the host has closed a kept connection
 * between two requests, the next request reconnects once, transparently. Methods are synchronized:
 * one request at a time, as the protocol requires.
 */
public final class KmsSession implements AutoCloseable {
  private final KmsClient client;
  private final Target target;
  private RpcConnection connection;
  private InetSocketAddress host;
  private BindOutcome bindOutcome;
  private boolean closed;

  KmsSession(KmsClient client, Target target) {
    this.client = Objects.requireNonNull(client, "client");
    this.target = Objects.requireNonNull(target, "target");
  }

  /** The target this session sends to. */
  public Target target() {
    return target;
  }

  /** The host that answered last, once one has. */
  public synchronized Optional<InetSocketAddress> host() {
    return Optional.ofNullable(host);
  }

  /** What the latest bind negotiated, once one succeeded. */
  public synchronized Optional<BindOutcome> bindOutcome() {
    return Optional.ofNullable(bindOutcome);
  }

  /** Whether a connection is open now. */
  public synchronized boolean isConnected() {
    return connection != null;
  }

  /**
   * Sends one request and returns the outcome; never throws for a network or protocol problem.
   *
   * @throws IllegalStateException when the session is closed
   */
  public synchronized ActivationResult activate(ActivationRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new IllegalStateException("the session is closed");
    }
    StageClock clock = new StageClock(Ticker.system());
    try {
      if (connection != null) {
        ActivationResult result = exchange(request, clock, true);
        if (result != null) {
          return result;
        }
      }
      if (host != null) {
        ActivationResult result = tryEndpoint(host, request, clock);
        if (!isFailover(result)) {
          return result;
        }
        host = null;
      }
      if (target instanceof Target.Address address) {
        return activateAt(address, request, clock);
      }
      return discover((Target.Discover) target, request, clock);
    } finally {
      if (client.connectionMode() == ConnectionMode.CONNECTION_PER_REQUEST) {
        closeConnection();
      }
    }
  }

  private ActivationResult activateAt(
      Target.Address address, ActivationRequest request, StageClock clock) {
    List<InetSocketAddress> endpoints = new ArrayList<>();
    ActivationResult.TransportFailure dnsFailure =
        resolve(address.host(), address.port(), endpoints, clock);
    if (dnsFailure != null) {
      return dnsFailure;
    }
    ActivationResult result = null;
    for (InetSocketAddress endpoint : endpoints) {
      result = tryEndpoint(endpoint, request, clock);
      if (!isFailover(result)) {
        return result;
      }
    }
    return result;
  }

  private ActivationResult discover(
      Target.Discover discover, ActivationRequest request, StageClock clock) {
    String domain = discover.domain().orElse(null);
    String query = discover.domain().orElse("(default domains)");
    long t = clock.now();
    LocatedHosts located;
    try {
      located = client.locator().orElseThrow().locate(domain);
    } catch (LocatorException e) {
      clock.add(Stage.DNS, t);
      return new ActivationResult.NoHostFound(
          query, e.attempts(), List.of(), Optional.of(e), clock.timings());
    }
    clock.add(Stage.DNS, t);
    List<ActivationResult.TransportFailure> failures = new ArrayList<>();
    for (HostCandidate candidate : located.candidates()) {
      List<InetSocketAddress> endpoints = new ArrayList<>();
      ActivationResult.TransportFailure dnsFailure =
          resolve(client.locator().orElseThrow(), candidate, endpoints, clock);
      if (dnsFailure != null) {
        failures.add(dnsFailure);
        continue;
      }
      for (InetSocketAddress endpoint : endpoints) {
        ActivationResult result = tryEndpoint(endpoint, request, clock);
        if (!isFailover(result)) {
          return result;
        }
        failures.add((ActivationResult.TransportFailure) result);
      }
    }
    return new ActivationResult.NoHostFound(
        located.query(), located.attempts(), failures, Optional.empty(), clock.timings());
  }

  /**
   * Whether Windows would move on to the next host: it could not reach this one or got no answer.
   */
  private static boolean isFailover(ActivationResult result) {
    return result instanceof ActivationResult.TransportFailure f
        && f.stage() != Stage.RESPONSE_VALIDATION;
  }

  private static ActivationResult.TransportFailure resolve(
      KmsHostLocator locator,
      HostCandidate candidate,
      List<InetSocketAddress> into,
      StageClock clock) {
    long t = clock.now();
    List<InetAddress> addresses;
    try {
      addresses = locator.addresses(candidate.host());
    } catch (UnknownHostException e) {
      clock.add(Stage.DNS, t);
      return ResponseClassifier.failure(Stage.DNS, candidate.address(), e, clock.timings());
    }
    clock.add(Stage.DNS, t);
    for (InetAddress a : addresses) {
      into.add(new InetSocketAddress(a, candidate.port()));
    }
    return null;
  }

  private static ActivationResult.TransportFailure resolve(
      String name, int port, List<InetSocketAddress> into, StageClock clock) {
    long t = clock.now();
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(name);
    } catch (UnknownHostException e) {
      clock.add(Stage.DNS, t);
      return ResponseClassifier.failure(Stage.DNS, name + ":" + port, e, clock.timings());
    }
    clock.add(Stage.DNS, t);
    for (InetAddress a : addresses) {
      into.add(new InetSocketAddress(a, port));
    }
    return null;
  }

  private ActivationResult tryEndpoint(
      InetSocketAddress endpoint, ActivationRequest request, StageClock clock) {
    String text = text(endpoint);
    long t = clock.now();
    RpcConnection opened;
    try {
      opened = RpcConnection.connect(endpoint, client.connectTimeout(), client.rpcOptions());
    } catch (IOException e) {
      clock.add(Stage.CONNECT, t);
      return ResponseClassifier.failure(Stage.CONNECT, text, e, clock.timings());
    }
    clock.add(Stage.CONNECT, t);
    t = clock.now();
    try {
      opened.bind(client.bindTimeout());
    } catch (IOException | KmsProtocolException e) {
      clock.add(Stage.BIND, t);
      opened.close();
      return ResponseClassifier.failure(Stage.BIND, text, e, clock.timings());
    } catch (RuntimeException | Error e) {
      opened.close(); // whatever went wrong, the socket is not left open
      throw e;
    }
    clock.add(Stage.BIND, t);
    bindOutcome =
        new BindOutcome(
            opened.association().acceptedContexts().keySet(),
            opened.association().acknowledgedFeatures());
    connection = opened;
    host = endpoint;
    return exchange(request, clock, false);
  }

  /**
   * One request on the open connection; null when a kept connection turned out closed by the host.
   */
  private ActivationResult exchange(ActivationRequest request, StageClock clock, boolean reused) {
    Instant now = client.clock().instant();
    EncodedRequest sent = KmsClientCodec.encodeRequest(request.toKmsRequest(now, client.salt()));
    String text = text(connection.remote());
    long t = clock.now();
    StubResponse stub;
    try {
      stub = connection.call(sent.bytes(), client.requestTimeout());
    } catch (IOException e) {
      clock.add(Stage.REQUEST, t);
      closeConnection();
      if (reused
          && (e instanceof RpcConnection.PeerClosedException || e instanceof SocketException)) {
        return null;
      }
      return ResponseClassifier.failure(Stage.REQUEST, text, e, clock.timings());
    } catch (RpcFaultException e) {
      clock.add(Stage.REQUEST, t);
      closeConnection();
      return ResponseClassifier.fault(text, e.status(), e, clock.timings());
    } catch (KmsProtocolException e) {
      clock.add(Stage.REQUEST, t);
      closeConnection();
      return ResponseClassifier.validationFailure(
          text,
          "the RPC response breaks the protocol: " + e.getMessage(),
          e,
          List.of(),
          clock.timings());
    }
    clock.add(Stage.REQUEST, t);
    ActivationResult result =
        ResponseClassifier.classify(sent, stub, request, text, clock.timings());
    if (result instanceof ActivationResult.TransportFailure) {
      closeConnection();
    }
    return result;
  }

  static String text(InetSocketAddress address) {
    String ip =
        address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress();
    return ip.indexOf(':') >= 0
        ? "[" + ip + "]:" + address.getPort()
        : ip + ":" + address.getPort();
  }

  private void closeConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  /** Closes the connection, if any; later requests throw. */
  @Override
  public synchronized void close() {
    closed = true;
    closeConnection();
  }
}
