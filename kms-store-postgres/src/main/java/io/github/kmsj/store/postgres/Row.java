package io.github.kmsj.store.postgres;

import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.protocol.message.Guid;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One (application, CMID) of a batch: every change of it merged, the latest request's fields kept,
 * as {@code kmsj_record} takes it. Times are UTC microseconds, PostgreSQL's resolution.
 */
final class Row {
  final Guid applicationId;
  final Guid cmid;
  long firstMicros;
  long lastMicros;
  long requests;
  int policy;
  int maxPolicy;
  String workstationName;
  Guid skuId;
  Guid kmsCountedId;
  int licenseStatus;
  String remote;
  String address;

  private Row(Guid applicationId, Guid cmid) {
    this.applicationId = applicationId;
    this.cmid = cmid;
  }

  static Row of(HostChange.ClientSeen seen) {
    Row r = new Row(seen.applicationId(), seen.cmid());
    long t = micros(seen.time());
    r.firstMicros = t;
    r.lastMicros = t;
    r.requests = 1;
    r.maxPolicy = seen.requiredClientCount();
    r.latest(seen);
    return r;
  }

  /** The row of a record a ledger kept (a local log being replayed, an import). */
  static Row of(ClientRecord c) {
    Row r = new Row(c.applicationId(), c.cmid());
    r.firstMicros = micros(c.firstSeen());
    r.lastMicros = micros(c.lastSeen());
    r.requests = c.requestCount();
    r.policy = c.requiredClientCount();
    r.maxPolicy = c.requiredClientCount();
    r.workstationName = c.workstationName();
    r.skuId = c.skuId();
    r.kmsCountedId = c.kmsCountedId();
    r.licenseStatus = c.licenseStatus().value();
    r.remote = c.remote().map(Row::remoteText).orElse(null);
    r.address =
        c.addresses().isEmpty() ? null : addressText(c.addresses().get(c.addresses().size() - 1));
    return r;
  }

  /** Merges a later change of the same (application, CMID). */
  void merge(HostChange.ClientSeen seen) {
    long t = micros(seen.time());
    requests++;
    maxPolicy = Math.max(maxPolicy, seen.requiredClientCount());
    firstMicros = Math.min(firstMicros, t);
    if (t >= lastMicros) {
      lastMicros = t;
      latest(seen);
    }
  }

  private void latest(HostChange.ClientSeen seen) {
    policy = seen.requiredClientCount();
    workstationName = seen.workstationName();
    skuId = seen.skuId();
    kmsCountedId = seen.kmsCountedId();
    licenseStatus = seen.licenseStatus().value();
    if (seen.remote().isPresent()) {
      remote = remoteText(seen.remote().get());
      address = addressText(seen.remote().get().getAddress());
    }
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  static String remoteText(InetSocketAddress a) {
    return addressText(a.getAddress()) + "|" + a.getPort();
  }

  static String addressText(InetAddress a) {
    return a == null ? "" : a.getHostAddress();
  }

  /** The address of {@link #remoteText}, or empty for a text that is not one. */
  static Optional<InetSocketAddress> parseRemote(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int bar = text.lastIndexOf('|');
    if (bar < 1) {
      return Optional.empty();
    }
    Optional<InetAddress> a = parseAddress(text.substring(0, bar));
    try {
      int port = Integer.parseInt(text.substring(bar + 1));
      return a.map(address -> new InetSocketAddress(address, port));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** An IP literal as an address, never looked up; empty for anything else. */
  static Optional<InetAddress> parseAddress(String literal) {
    if (literal == null || literal.isEmpty() || !literal.matches("[0-9A-Fa-f:.%a-zA-Z]+")) {
      return Optional.empty();
    }
    boolean ip = literal.contains(":") || literal.matches("[0-9.]+");
    if (!ip) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(literal));
    } catch (java.net.UnknownHostException e) {
      return Optional.empty();
    }
  }
}
