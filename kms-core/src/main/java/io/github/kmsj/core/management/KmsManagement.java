package io.github.kmsj.core.management;

import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestCounters;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.Guid;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Exposes a {@link KmsHost} and its {@link RequestCounters} through JMX as a {@link
 * KeyManagementServiceMXBean}, and as a {@link #snapshot()}. Closing it unregisters the MBean.
 *
 * <pre>{@code
 * RequestCounters counters = new RequestCounters();
 * KmsHost host = KmsHost.builder().listener(counters).build();
 * KmsServer server = KmsServer.builder(host.rpcHandler()).build().start();
 * try (KmsManagement management = KmsManagement.builder(host, counters).name("kms1").server(server).register()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>The counters must be a listener of the host; the management view cannot check that.
 */
public final class KmsManagement implements AutoCloseable {
  /** The JMX domain. */
  public static final String DOMAIN = "io.github.kmsj";

  /** Windows. */
  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");

  /** Office 2010. */
  static final Guid OFFICE_2010 = Guid.parse("59a52881-a989-479d-af46-f275c6370663");

  /** Office 2013 and later. */
  static final Guid OFFICE_2013 = Guid.parse("0ff1ce15-a989-479d-af46-f275c6370663");

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final KmsHost host;
  private final RequestCounters counters;
  private final KmsServer server;
  private final MBeanServer mbeanServer;
  private final ObjectName objectName;
  private boolean closed;

  private KmsManagement(Builder b, ObjectName objectName) {
    this.host = b.host;
    this.counters = b.counters;
    this.server = b.server;
    this.mbeanServer = b.mbeanServer;
    this.objectName = objectName;
  }

  /** A builder for the management view of {@code host}, whose listener {@code counters} is. */
  public static Builder builder(KmsHost host, RequestCounters counters) {
    return new Builder(host, counters);
  }

  /**
   * The name {@code io.github.kmsj:type=KeyManagementService,name=<name>}, quoted when it must be.
   */
  public static ObjectName objectName(String name) {
    Objects.requireNonNull(name, "name");
    String value = PLAIN_NAME.matcher(name).matches() ? name : ObjectName.quote(name);
    try {
      return new ObjectName(DOMAIN + ":type=KeyManagementService,name=" + value);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("name is not usable in a JMX object name: " + name, e);
    }
  }

  /** The name the MBean is registered under. */
  public ObjectName objectName() {
    return objectName;
  }

  /** Every value of the MBean, with the current counts read once at the host's clock. */
  public ServiceSnapshot snapshot() {
    Instant now = host.now();
    Map<Guid, Integer> counts = new LinkedHashMap<>();
    for (Guid applicationId : applications()) {
      counts.put(applicationId, host.currentCount(applicationId, now));
    }
    Map<String, String> ePids = new LinkedHashMap<>();
    host.identity().ePids().forEach((group, ePid) -> ePids.put(group, ePid.format()));
    return new ServiceSnapshot(
        now,
        counters.snapshot(),
        counts,
        host.activationInterval(),
        host.renewalInterval(),
        listeningPort(),
        ePids,
        host.identity().hwid().toHex());
  }

  private List<Guid> applications() {
    return host.coverage().groups().stream().map(HostKeyGroup::applicationId).distinct().toList();
  }

  int currentCount(Guid applicationId) {
    return applications().contains(applicationId)
        ? host.currentCount(applicationId, host.now())
        : -1;
  }

  Map<String, Integer> currentCountByApplication() {
    Instant now = host.now();
    Map<String, Integer> counts = new TreeMap<>();
    for (Guid applicationId : applications()) {
      counts.put(applicationId.toString(), host.currentCount(applicationId, now));
    }
    return counts;
  }

  /** The server's transport counters; empty without a server. */
  java.util.Optional<io.github.kmsj.core.transport.ServerStats> serverStats() {
    return server == null ? java.util.Optional.empty() : java.util.Optional.of(server.stats());
  }

  int listeningPort() {
    if (server == null) {
      return 0;
    }
    List<InetSocketAddress> bound = server.localAddresses();
    return bound.isEmpty() ? 0 : bound.get(0).getPort();
  }

  String windowsEpid() {
    List<HostKeyGroup> groups = host.coverage().groups();
    HostKeyGroup chosen =
        groups.stream()
            .filter(g -> g.applicationId().equals(WINDOWS))
            .findFirst()
            .orElse(groups.isEmpty() ? null : groups.get(0));
    return chosen == null ? "" : host.identity().ePid(chosen.id()).map(Epid::format).orElse("");
  }

  RequestCounters counters() {
    return counters;
  }

  KmsHost host() {
    return host;
  }

  /**
   * Unregisters the MBean; idempotent. An MBean someone else already unregistered is not an error.
   *
   * @throws IllegalStateException when the MBean server refuses
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      mbeanServer.unregisterMBean(objectName);
    } catch (InstanceNotFoundException alreadyGone) {
      // Nothing to undo: the name is free, which is what close() promises.
    } catch (MBeanRegistrationException e) {
      throw new IllegalStateException("cannot unregister " + objectName, e);
    }
  }

  @Override
  public String toString() {
    return "KmsManagement[" + objectName + "]";
  }

  /** Settings of a {@link KmsManagement}; {@link #register()} validates and registers. */
  public static final class Builder {
    private final KmsHost host;
    private final RequestCounters counters;
    private String name = "default";
    private KmsServer server;
    private MBeanServer mbeanServer;

    private Builder(KmsHost host, RequestCounters counters) {
      this.host = Objects.requireNonNull(host, "host");
      this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** The {@code name} key of the object name; default {@code default}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The server whose port is {@code KeyManagementServiceListeningPort}; default none (port 0).
     */
    public Builder server(KmsServer server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    /** The MBean server; default the platform MBean server. */
    public Builder mbeanServer(MBeanServer mbeanServer) {
      this.mbeanServer = Objects.requireNonNull(mbeanServer, "mbeanServer");
      return this;
    }

    /**
     * Registers the MBean.
     *
     * @throws IllegalArgumentException when the name is not usable in an object name
     * @throws IllegalStateException when an MBean with that name is already registered
     */
    public KmsManagement register() {
      if (mbeanServer == null) {
        mbeanServer = ManagementFactory.getPlatformMBeanServer();
      }
      KmsManagement management = new KmsManagement(this, objectName(name));
      try {
        StandardMBean mbean =
            new StandardMBean(
                new KeyManagementService(management), KeyManagementServiceMXBean.class, true);
        mbeanServer.registerMBean(mbean, management.objectName);
      } catch (JMException e) {
        throw new IllegalStateException(
            "cannot register " + management.objectName + ": " + e.getMessage(), e);
      }
      return management;
    }
  }
}
