package io.github.kmsj.core.host;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Text forms of event fields shared by the request loggers; never resolves a name. */
final class EventText {
  private EventText() {}

  /** {@code 192.0.2.7:50123} or {@code [2001:db8::7]:50123}, without a DNS lookup. */
  static String address(InetSocketAddress a) {
    InetAddress ip = a.getAddress();
    String host = ip == null ? a.getHostString() : ip.getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /**
   * The text with every control character written as {@code \\uXXXX}: a workstation name is chosen
   * by the client and must not be able to start a new log line.
   */
  static String printable(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        if (sb == null) {
          sb = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        sb.append(String.format("\\u%04x", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? text : sb.toString();
  }
}
