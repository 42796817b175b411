package io.github.kmsj.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Parses {@code host:port}, {@code [v6]:port}, {@code host} and {@code :port} forms for the
 * examples.
 */
final class HostAddresses {
  private HostAddresses() {}

  /** A socket address; the host is resolved; {@code defaultPort} when none is given. */
  static InetSocketAddress parse(String text, int defaultPort) {
    String host = text;
    int port = defaultPort;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new Args.UsageException("bad address (missing ']'): " + text);
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (rest.startsWith(":")) {
        port = port(rest.substring(1), text);
      } else if (!rest.isEmpty()) {
        throw new Args.UsageException("bad address: " + text);
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      int colon = text.indexOf(':');
      host = text.substring(0, colon);
      port = port(text.substring(colon + 1), text);
    }
    if (host.isEmpty()) {
      host = "::";
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new Args.UsageException("unknown host '" + host + "' in " + text);
    }
  }

  private static int port(String p, String whole) {
    try {
      int port = Integer.parseInt(p);
      if (port < 0 || port > 65535) {
        throw new Args.UsageException("port must be 0-65535 in " + whole);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new Args.UsageException("bad port in " + whole);
    }
  }
}
