package io.github.kmsj.dns;

import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Turns names given as text into absolute dnsjava names, never completing them with an origin. */
final class DnsNames {

  /**
   * The owner-name prefix of a KMS SRV record, relative; see [MS-KMS]/RFC 2782 {@code
   * _Service._Proto}.
   */
  static final Name VLMCS_TCP = Name.fromConstantString("_vlmcs._tcp");

  private DnsNames() {}

  /**
   * Parses a domain or host name as fully qualified: a missing final dot is added (the name is
   * taken relative to the root), never a search domain or zone origin.
   *
   * @param text the name, with or without the final dot
   * @param what the argument's name, for the error message
   * @throws IllegalArgumentException if the name is empty, the root, or not a valid name
   */
  static Name absolute(String text, String what) {
    Objects.requireNonNull(text, what);
    String trimmed = text.strip();
    if (trimmed.isEmpty() || trimmed.equals(".")) {
      throw new IllegalArgumentException(what + " must be a non-root domain name: '" + text + "'");
    }
    if (trimmed.chars().anyMatch(Character::isWhitespace) || trimmed.startsWith("@")) {
      throw new IllegalArgumentException(what + " is not a domain name: '" + text + "'");
    }
    try {
      return Name.fromString(trimmed, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(what + " is not a domain name: '" + text + "'", e);
    }
  }

  /**
   * Parses a KMS domain given either as the domain ({@code corp.example}) or as its SRV owner name
   * ({@code _vlmcs._tcp.corp.example}), as fully qualified.
   */
  static Name domain(String text) {
    Name name = absolute(text, "domain");
    Name prefix = absolute(VLMCS_TCP.toString(), "prefix");
    if (name.labels() > prefix.labels()
        && name.getLabelString(0).equalsIgnoreCase("_vlmcs")
        && name.getLabelString(1).equalsIgnoreCase("_tcp")) {
      return new Name(name, 2);
    }
    return name;
  }

  /** Returns {@code _vlmcs._tcp.<domain>}. */
  static Name srvName(Name domain) {
    try {
      return Name.concatenate(VLMCS_TCP, domain);
    } catch (org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException("domain is too long for an SRV name: " + domain, e);
    }
  }

  /** Returns the name as text without the final dot, the form a socket connect takes. */
  static String hostText(Name name) {
    String s = name.toString(true);
    return s.isEmpty() ? "." : s;
  }
}
