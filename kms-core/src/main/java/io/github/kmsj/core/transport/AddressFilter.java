package io.github.kmsj.core.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A source-address allow-list of CIDR blocks. The default admits loopback, private (RFC 1918),
 * link-local and unique-local (RFC 4193) addresses only, so a host started with defaults never
 * serves the internet. IPv4-mapped IPv6 addresses are checked as IPv4.
 */
public final class AddressFilter {
  private final List<Cidr> allowed;

  private AddressFilter(List<Cidr> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** Loopback, RFC 1918, link-local and unique-local addresses. */
  public static AddressFilter localNetworks() {
    return of(
        List.of(
            "127.0.0.0/8",
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "169.254.0.0/16",
            "::1/128",
            "fe80::/10",
            "fc00::/7"));
  }

  /** Any address. */
  public static AddressFilter any() {
    return of(List.of("0.0.0.0/0", "::/0"));
  }

  /**
   * The filter of CIDR blocks such as {@code 10.0.0.0/8} or {@code fd00::/8}; a plain address means
   * /32 or /128.
   *
   * @throws IllegalArgumentException naming the block that does not parse
   */
  public static AddressFilter of(List<String> cidrs) {
    List<Cidr> parsed = new ArrayList<>(cidrs.size());
    for (String c : cidrs) {
      parsed.add(Cidr.parse(c));
    }
    return new AddressFilter(parsed);
  }

  /** Whether {@code address} is admitted. */
  public boolean admits(InetAddress address) {
    byte[] bytes = canonical(address);
    for (Cidr c : allowed) {
      if (c.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] canonical(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 16 && isV4Mapped(b)) {
      byte[] v4 = new byte[4];
      System.arraycopy(b, 12, v4, 0, 4);
      return v4;
    }
    return b;
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  @Override
  public String toString() {
    return allowed.toString();
  }

  private record Cidr(byte[] network, int prefix, String text) {
    static Cidr parse(String text) {
      Objects.requireNonNull(text, "cidr");
      String t = text.trim();
      int slash = t.indexOf('/');
      String host = slash < 0 ? t : t.substring(0, slash);
      if (host.isEmpty()
          || !host.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':')) {
        throw new IllegalArgumentException("not an IP address block: '" + text + "'");
      }
      InetAddress address;
      try {
        address = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address block: '" + text + "'", e);
      }
      byte[] bytes = address instanceof Inet6Address ? address.getAddress() : canonical(address);
      int max = bytes.length * 8;
      int prefix;
      try {
        prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'", e);
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("prefix length must be 0-" + max + " in '" + text + "'");
      }
      return new Cidr(bytes, prefix, t);
    }

    boolean contains(byte[] candidate) {
      if (candidate.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (candidate[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      return text;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }
  }
}
