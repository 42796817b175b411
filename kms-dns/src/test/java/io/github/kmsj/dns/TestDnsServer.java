package io.github.kmsj.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The BIND test server started by {@code .ci/dns/start-test-dns.sh}, described by its environment
 * variables (DNS_HOST, DNS_PORT, DNS_TSIG_KEY_NAME, DNS_TSIG_SECRET_FILE). Zones: {@code
 * corp.test.} and its delegated child {@code branch.corp.test.} take TSIG-signed updates only;
 * {@code open.test.} takes unsigned ones.
 */
final class TestDnsServer {

  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private TestDnsServer() {}

  static InetSocketAddress address() {
    String host = System.getenv().getOrDefault("DNS_HOST", "127.0.0.1");
    return new InetSocketAddress(host, Integer.parseInt(System.getenv("DNS_PORT")));
  }

  static String keyName() {
    return System.getenv().getOrDefault("DNS_TSIG_KEY_NAME", "kmsj-test");
  }

  static String secret() {
    try {
      return Files.readString(Path.of(System.getenv("DNS_TSIG_SECRET_FILE"))).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TSIG tsig() {
    return new TSIG(TSIG.HMAC_SHA256, DnsNames.absolute(keyName(), "key"), secret());
  }

  /** A resolver for queries, unsigned. */
  static SimpleResolver resolver() {
    SimpleResolver r = new SimpleResolver(address());
    r.setTimeout(TIMEOUT);
    return r;
  }

  private static SimpleResolver updater(String zone) {
    SimpleResolver r = resolver();
    if (!zone.equals("open.test.")) {
      r.setTSIGKey(tsig());
    }
    return r;
  }

  private static void send(String zone, Update update) {
    try {
      Message response = updater(zone).send(update);
      assertEquals(
          Rcode.NOERROR, response.getRcode(), () -> "test setup update failed: " + response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the whole SRV RRset {@code _vlmcs._tcp.<domain>} from {@code zone}. */
  static void clearSrv(String zone, String domain) {
    Update u = new Update(DnsNames.absolute(zone, "zone"));
    u.delete(DnsNames.srvName(DnsNames.absolute(domain, "domain")), Type.SRV);
    send(zone, u);
  }

  /** Adds one SRV record {@code _vlmcs._tcp.<domain>} to {@code zone}, like another host would. */
  static void addSrv(
      String zone, String domain, int priority, int weight, int port, String target) {
    Update u = new Update(DnsNames.absolute(zone, "zone"));
    u.add(
        new SRVRecord(
            DnsNames.srvName(DnsNames.absolute(domain, "domain")),
            DClass.IN,
            300,
            priority,
            weight,
            port,
            target.equals(".") ? Name.root : DnsNames.absolute(target, "target")));
    send(zone, u);
  }

  /** Replaces the A records of {@code name} in {@code zone} with one for {@code address}. */
  static void setA(String zone, String name, String address) {
    Update u = new Update(DnsNames.absolute(zone, "zone"));
    try {
      u.replace(
          new org.xbill.DNS.ARecord(
              DnsNames.absolute(name, "name"),
              DClass.IN,
              300,
              java.net.InetAddress.getByName(address)));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
    send(zone, u);
  }

  /** Deletes every A record of {@code name} from {@code zone}. */
  static void clearA(String zone, String name) {
    Update u = new Update(DnsNames.absolute(zone, "zone"));
    u.delete(DnsNames.absolute(name, "name"), Type.A);
    send(zone, u);
  }

  /** Reads the SRV RRset {@code _vlmcs._tcp.<domain>} as "priority weight port target" strings. */
  static List<String> readSrv(String domain) {
    try {
      Name owner = DnsNames.srvName(DnsNames.absolute(domain, "domain"));
      Message response =
          resolver().send(Message.newQuery(Record.newRecord(owner, Type.SRV, DClass.IN)));
      List<String> out = new ArrayList<>();
      for (Record r : response.getSection(Section.ANSWER)) {
        if (r instanceof SRVRecord) {
          out.add(r.rdataToString());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the zone whose SOA the server puts in the authority section for a name's SRV query. */
  static String authorityZone(String domain) {
    try {
      Name owner = DnsNames.srvName(DnsNames.absolute(domain, "domain"));
      Message response =
          resolver().send(Message.newQuery(Record.newRecord(owner, Type.SOA, DClass.IN)));
      for (Record r : response.getSection(Section.AUTHORITY)) {
        if (r.getType() == Type.SOA) {
          return r.getName().toString();
        }
      }
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
