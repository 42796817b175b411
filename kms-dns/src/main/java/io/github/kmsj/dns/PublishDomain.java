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
    if (priority < 0 || priority > 0xFFFF) {
      throw new IllegalArgumentException("priority must be 0-65535: " + priority);
    }
    if (weight < 0 || weight > 0xFFFF) {
      throw new IllegalArgumentException("weight must be 0-65535: " + weight);
    }
  }

  /** Returns the SRV owner name, {@code _vlmcs._tcp.<domain>}. */
  public String recordName() {
    return "_vlmcs._tcp." + domain;
  }
}
