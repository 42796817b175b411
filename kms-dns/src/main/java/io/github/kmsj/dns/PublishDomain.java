package io.github.kmsj.dns;

/**
 * A domain in which a host publishes its SRV record, with the priority and weight announced there;
 * one entry of Microsoft's {@code DnsDomainPublishList} ({@code "domain,priority,weight"}).
 *
 * @param domain the domain, fully qualified with the final dot (a name given without it is taken as
 *     fully qualified, never completed)
 * @param priority the SRV priority, 0–65535 (<a
 *     href="https://www.rfc-editor.org/rfc/rfc2782#page-2">RFC 2782</a>)
 * @param weight the SRV weight, 0–65535
 */
public record PublishDomain(String domain, int priority, int weight) {

  /** Checks the fields and makes the domain absolute. */
  public PublishDomain {
    domain = DnsNames.absolute(domain, "domain").toString();
    srvField(priority, 0, "priority");
    srvField(weight, 0, "weight");
  }

  /**
   * Checks a 16-bit SRV field (priority, weight, port) against {@code min}–65535, naming it.
   *
   * @return {@code value}
   * @throws IllegalArgumentException if it is out of range
   */
  static int srvField(int value, int min, String name) {
    if (value < min || value > 0xFFFF) {
      throw new IllegalArgumentException(name + " must be " + min + "-65535: " + value);
    }
    return value;
  }

  /** Returns the SRV owner name, {@code _vlmcs._tcp.<domain>}. */
  public String recordName() {
    return "_vlmcs._tcp." + domain;
  }
}
