package io.github.kmsj.dns;

import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.KmsHostLocator;
import io.github.kmsj.core.client.LocatedHosts;
import io.github.kmsj.core.client.LocatorException;
import io.github.kmsj.core.client.Rfc2782Order;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A {@link KmsHostLocator} that reads {@code _vlmcs._tcp.<domain>} SRV records and orders them by
 * <a href="https://www.rfc-editor.org/rfc/rfc2782">RFC 2782</a>: lowest priority first, then
 * weighted random selection within a priority.
 *
 * <p>Every domain is taken as fully qualified; the resolver's search list is used only when asked
 * ({@link #locateFromSearchList()}, or {@code locate(null)}). A lone SRV record with target {@code
 * "."} means the service is decidedly not available in that domain and yields no candidates.
 * Queries go straight to the resolver, without a cache. Instances are thread-safe.
 *
 * <pre>{@code
 * KmsHostLocator locator = SrvLocator.builder().build();   // system resolvers
 * LocatedHosts hosts = locator.locate("corp.example");
 * }</pre>
 */
public final class SrvLocator implements KmsHostLocator {

  private final Resolver resolver;
  private final RandomGenerator random;
  private final List<Name> searchPath;

  /** Whether targets resolve through {@link #resolver}, not the system's name service. */
  private final boolean resolveTargets;

  private SrvLocator(Builder b) {
    this.resolveTargets = b.resolver != null;
    this.resolver = b.resolver != null ? b.resolver : new ExtendedResolver();
    this.random = b.random != null ? b.random : RandomGenerator.getDefault();
    this.searchPath =
        b.searchPath != null
            ? b.searchPath
            : List.copyOf(ResolverConfig.getCurrentConfig().searchPath());
  }

  /** Returns a builder; by default it uses the system's resolvers and search list. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Finds the KMS hosts of one domain, or of the search list when {@code domain} is {@code null}.
   * The domain may be given as the SRV owner name too ({@code _vlmcs._tcp.corp.example}).
   *
   * @throws IllegalArgumentException if {@code domain} is not a valid domain name
   * @throws LocatorException if the resolver timed out or answered with an error such as SERVFAIL
   */
  @Override
  public LocatedHosts locate(String domain) {
    if (domain == null) {
      return locateFromSearchList();
    }
    Name srvName = DnsNames.srvName(DnsNames.domain(domain));
    List<String> attempts = new ArrayList<>();
    DomainAnswer answer = query(srvName, attempts);
    if (answer.failure != null) {
      throw new LocatorException(
          "SRV lookup of " + srvName + " failed: " + String.join("; ", attempts),
          attempts,
          answer.failure);
    }
    return new LocatedHosts(srvName.toString(), answer.candidates, attempts);
  }

  /**
   * Finds the KMS hosts of the first domain in the search list that has {@code _vlmcs._tcp} SRV
   * records, trying the domains in order. A domain whose records say "not available" (target {@code
   * "."}) ends the search, as a found record would.
   *
   * @throws LocatorException if no domain had records and at least one lookup failed, since the
   *     failed domain might have had them
   */
  public LocatedHosts locateFromSearchList() {
    String query =
        "_vlmcs._tcp in search list ["
            + searchPath.stream().map(Name::toString).collect(Collectors.joining(", "))
            + "]";
    List<String> attempts = new ArrayList<>();
    if (searchPath.isEmpty()) {
      attempts.add("search list is empty: no domain to query");
      return new LocatedHosts(query, List.of(), attempts);
    }
    Exception firstFailure = null;
    for (Name domain : searchPath) {
      Name srvName =
          DnsNames.srvName(
              domain.isAbsolute() ? domain : DnsNames.absolute(domain.toString(), "search domain"));
      DomainAnswer answer = query(srvName, attempts);
      if (answer.failure != null) {
        if (firstFailure == null) {
          firstFailure = answer.failure;
        } else {
          firstFailure.addSuppressed(answer.failure);
        }
      } else if (answer.definitive) {
        return new LocatedHosts(query, answer.candidates, attempts);
      }
    }
    if (firstFailure != null) {
      throw new LocatorException(
          "SRV lookup in the search list failed: " + String.join("; ", attempts),
          attempts,
          firstFailure);
    }
    return new LocatedHosts(query, List.of(), attempts);
  }

  /**
   * Resolves a target through this locator's resolver (A, then AAAA records), so that discovery
   * with a given DNS server never falls back to the system's. An address literal is returned as it
   * is.
   *
   * @throws UnknownHostException naming the name, the resolver and each answer when there is no
   *     address
   */
  @Override
  public List<InetAddress> addresses(String host) throws UnknownHostException {
    try {
      return List.of(Address.getByAddress(host));
    } catch (UnknownHostException notALiteral) {
      // a name: ask the resolver below
    }
    if (isLocalhost(host)) {
      return List.of(InetAddress.getLoopbackAddress());
    }
    if (!resolveTargets) {
      return KmsHostLocator.super.addresses(host);
    }
    Name name;
    try {
      name = DnsNames.absolute(host, "host");
    } catch (IllegalArgumentException e) {
      throw new UnknownHostException(e.getMessage());
    }
    List<InetAddress> found = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    for (int type : new int[] {Type.A, Type.AAAA}) {
      Message response;
      try {
        response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
      } catch (IOException e) {
        answers.add(Type.string(type) + ": no answer (" + ioText(e) + ")");
        continue;
      }
      int before = found.size();
      for (Record r : response.getSection(Section.ANSWER)) {
        if (r instanceof ARecord a && r.getName().equals(name)) {
          found.add(a.getAddress());
        } else if (r instanceof AAAARecord a && r.getName().equals(name)) {
          found.add(a.getAddress());
        }
      }
      answers.add(
          Type.string(type)
              + ": "
              + (found.size() > before
                  ? (found.size() - before) + " address(es)"
                  : Rcode.string(response.getRcode())
                      + (response.getRcode() == Rcode.NOERROR ? ", no record" : "")));
    }
    if (found.isEmpty()) {
      throw new UnknownHostException(
          "no address for " + name + " via " + resolver + " (" + String.join("; ", answers) + ")");
    }
    return List.copyOf(found);
  }

  /** Returns the search list this locator uses for {@code locate(null)}. */
  public List<String> searchPath() {
    return searchPath.stream().map(Name::toString).collect(Collectors.toUnmodifiableList());
  }

  /**
   * One domain's outcome: {@code failure} set when there was no usable answer; {@code definitive}
   * when SRV records exist (candidates, or "not available").
   */
  private static final class DomainAnswer {
    final List<HostCandidate> candidates;
    final boolean definitive;
    final Exception failure;

    DomainAnswer(List<HostCandidate> candidates, boolean definitive, Exception failure) {
      this.candidates = candidates;
      this.definitive = definitive;
      this.failure = failure;
    }
  }

  private DomainAnswer query(Name srvName, List<String> attempts) {
    String step = "SRV " + srvName + " via " + resolver;
    Message response;
    try {
      response = resolver.send(Message.newQuery(Record.newRecord(srvName, Type.SRV, DClass.IN)));
    } catch (IOException e) {
      attempts.add(step + ": no answer (" + ioText(e) + ")");
      return new DomainAnswer(List.of(), false, e);
    }
    int rcode = response.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      attempts.add(step + ": NXDOMAIN");
      return new DomainAnswer(List.of(), false, null);
    }
    if (rcode != Rcode.NOERROR) {
      String text = Rcode.string(rcode);
      attempts.add(step + ": " + text);
      return new DomainAnswer(List.of(), false, new IOException("DNS response code " + text));
    }
    List<SRVRecord> records = new ArrayList<>();
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof SRVRecord srv) {
        records.add(srv);
      }
    }
    if (records.isEmpty()) {
      attempts.add(step + ": NOERROR, no SRV records");
      return new DomainAnswer(List.of(), false, null);
    }
    if (records.size() == 1 && records.get(0).getTarget().equals(Name.root)) {
      attempts.add(step + ": target \".\": service decidedly not available (RFC 2782)");
      return new DomainAnswer(List.of(), true, null);
    }
    List<HostCandidate> found = new ArrayList<>(records.size());
    for (SRVRecord r : records) {
      if (r.getTarget().equals(Name.root) || r.getPort() == 0) {
        attempts.add(step + ": ignored unusable record " + r.rdataToString());
        continue;
      }
      found.add(
          new HostCandidate(
              DnsNames.hostText(r.getTarget()), r.getPort(), r.getPriority(), r.getWeight()));
    }
    List<HostCandidate> ordered;
    synchronized (random) {
      ordered = Rfc2782Order.order(found, random);
    }
    attempts.add(
        step
            + ": "
            + records.size()
            + " SRV record(s), order "
            + ordered.stream().map(HostCandidate::address).collect(Collectors.joining(", ")));
    return new DomainAnswer(ordered, true, null);
  }

  /**
   * Whether {@code host} is {@code localhost} or below it, which name resolution answers with the
   * loopback address without asking DNS (<a
   * href="https://www.rfc-editor.org/rfc/rfc6761#section-6.3">RFC 6761 §6.3</a>), as Windows does.
   */
  static boolean isLocalhost(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    h = h.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost");
  }

  /** An I/O failure as text; a timeout has no message in dnsjava. */
  static String ioText(IOException e) {
    if (e instanceof java.net.SocketTimeoutException) {
      return "timed out" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Configures a {@link SrvLocator}; every setting is optional. */
  public static final class Builder {
    private Resolver resolver;
    private RandomGenerator random;
    private List<Name> searchPath;

    private Builder() {}

    /**
     * Sets the resolver queried; default: an {@link ExtendedResolver} over the system's name
     * servers ({@link ResolverConfig}). Point it at a server with {@code new
     * SimpleResolver(address)}.
     */
    public Builder resolver(Resolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Queries one DNS server (UDP, TCP on truncation) instead of the system's resolvers; shorthand
     * for {@code resolver(new SimpleResolver(server))} with the given timeout.
     */
    public Builder server(InetSocketAddress server, Duration timeout) {
      Objects.requireNonNull(server, "server");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      SimpleResolver r = new SimpleResolver(server);
      r.setTimeout(timeout);
      return resolver(r);
    }

    /**
     * Sets the source of the RFC 2782 weighted draws; default {@link RandomGenerator#getDefault()}.
     * Access is synchronized on the generator, so a non-thread-safe one is fine.
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Sets the domains tried by {@link SrvLocator#locateFromSearchList()}, in order, each taken as
     * fully qualified; default: the system's search list ({@link ResolverConfig#searchPath()}).
     */
    public Builder searchPath(List<String> domains) {
      List<Name> names = new ArrayList<>(domains.size());
      for (String d : domains) {
        names.add(DnsNames.absolute(d, "search domain"));
      }
      this.searchPath = List.copyOf(names);
      return this;
    }

    /** Returns the locator. */
    public SrvLocator build() {
      return new SrvLocator(this);
    }
  }
}
