package io.github.kmsj.examples;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses {@code host:port}, {@code [v6]:port}, {@code host} and {@code :port}, strictly: an IPv4
 * literal has four decimal parts ({@code 1.2.3:99} is an error, not 1.2.0.3) and an IPv6 literal
 * with a port is bracketed ({@code [::1]:1688}). Formats addresses the same way, never as Java's
 * {@code /[0:0:0:0:0:0:0:0]:1688}.
 */
final class HostAddresses {
  private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
              + "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

  private HostAddresses() {}

  /** A socket address; the host is resolved; {@code defaultPort} when none is given. */
  static InetSocketAddress parse(String text, int defaultPort) {
    if (text.matches("-\\d+(\\.\\d+)?")) {
      throw new UsageException("expected an address, not the negative number " + text);
    }
    String host = text;
    int port = defaultPort;
    boolean v6 = false;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new UsageException("bad address (missing ']'): " + text);
      }
      host = text.substring(1, close);
      v6 = true;
      String rest = text.substring(close + 1);
      if (rest.startsWith(":")) {
        port = port(rest.substring(1), text);
      } else if (!rest.isEmpty()) {
        throw new UsageException("bad address (expected [IPv6]:PORT): " + text);
      }
    } else if (text.indexOf(':') >= 0) {
      int colon = text.indexOf(':');
      if (colon != text.lastIndexOf(':')) {
        throw new UsageException(
            "bad address (an IPv6 address with a port goes in brackets, as [::1]:1688): " + text);
      }
      host = text.substring(0, colon);
      port = port(text.substring(colon + 1), text);
    }
    if (host.isEmpty()) {
      host = v6 ? "" : "::";
      if (v6) {
        throw new UsageException("bad address (empty brackets): " + text);
      }
      v6 = true;
    }
    if (v6) {
      if (!IPV6.matcher(host).matches() || host.indexOf(':') < 0) {
        throw new UsageException("bad IPv6 address '" + host + "' in " + text);
      }
    } else if (NUMERIC.matcher(host).matches()) {
      if (!IPV4.matcher(host).matches()) {
        throw new UsageException(
            "bad IPv4 address '" + host + "' in " + text + " (four numbers 0-255: 192.0.2.1)");
      }
    } else if (!HOST_NAME.matcher(host).matches()) {
      throw new UsageException("bad host name '" + host + "' in " + text);
    }
    try {
      InetAddress address = InetAddress.getByName(host);
      if (v6 && !(address instanceof Inet6Address)) {
        throw new UsageException("bad IPv6 address '" + host + "' in " + text);
      }
      return new InetSocketAddress(address, port);
    } catch (UnknownHostException e) {
      throw new UsageException("unknown host '" + host + "' in " + text);
    }
  }

  private static int port(String p, String whole) {
    if (!p.matches("\\d{1,5}")) {
      throw new UsageException("bad port '" + p + "' in " + whole + " (0-65535)");
    }
    int port = Integer.parseInt(p);
    if (port > 65535) {
      throw new UsageException("port must be 0-65535 in " + whole);
    }
    return port;
  }

  /** {@code 127.0.0.1:1688} or {@code [::]:1688}. */
  static String format(InetSocketAddress address) {
    if (address.getAddress() == null) {
      return address.getHostString() + ":" + address.getPort();
    }
    return format(address.getAddress()) + ":" + address.getPort();
  }

  /** {@code 127.0.0.1}, or {@code [::1]} in RFC 5952 form (zero runs compressed, lower case). */
  static String format(InetAddress address) {
    if (!(address instanceof Inet6Address v6)) {
      return address.getHostAddress();
    }
    byte[] b = v6.getAddress();
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (words[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && words[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 1 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(words[i]));
    }
    if (v6.getScopeId() != 0 || v6.getScopedInterface() != null) {
      sb.append('%')
          .append(
              v6.getScopedInterface() != null
                  ? v6.getScopedInterface().getName()
                  : v6.getScopeId());
    }
    return sb.append(']').toString();
  }

  /**
   * An address as kms-core writes it ({@code 0:0:0:0:0:0:0:1} in brackets, or {@code ip:port}), in
   * the form {@link #format(InetSocketAddress)} prints.
   */
  static String display(String coreText) {
    if (coreText.startsWith("[")) {
      int close = coreText.indexOf(']');
      if (close > 0) {
        String ip = coreText.substring(1, close);
        int pct = ip.indexOf('%');
        String bare = pct < 0 ? ip : ip.substring(0, pct);
        if (IPV6.matcher(bare).matches()) {
          try {
            String f = format(InetAddress.getByName(bare));
            if (pct >= 0) {
              f = f.substring(0, f.length() - 1) + ip.substring(pct) + "]";
            }
            return f + coreText.substring(close + 1);
          } catch (UnknownHostException e) {
            return coreText;
          }
        }
      }
    }
    return coreText;
  }
}
