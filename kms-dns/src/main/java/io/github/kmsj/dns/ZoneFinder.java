package io.github.kmsj.dns;

import java.io.IOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Finds the zone that holds a name, as nsupdate does: ask for the name's SOA and take the zone from
 * the answer or from the authority section of a negative answer, walking up one label at a time
 * while the server gives neither (<a href="https://www.rfc-editor.org/rfc/rfc2136#section-4">RFC
 * 2136 §4</a> leaves zone discovery to the requestor).
 *
 * <p>Notes: an update sent to a parent zone for a name below a delegation is accepted (NOERROR) but
 * lands under the zone cut, where nobody ever sees it. So a referral (NS records without SOA in the
 * authority section) is a failure, never a reason to walk further up.
 */
final class ZoneFinder {

  private ZoneFinder() {}

  /** Returns the closest enclosing zone of {@code name} as served by {@code resolver}. */
  static Name find(Name name, Resolver resolver) throws StepFailure {
    StringBuilder tried = new StringBuilder();
    for (Name n = name; ; n = new Name(n, 1)) {
      String step = "SOA " + n + " via " + resolver;
      Message response;
      try {
        response = resolver.send(Message.newQuery(Record.newRecord(n, Type.SOA, DClass.IN)));
      } catch (IOException e) {
        throw StepFailure.fromIo(step, e);
      }
      int rcode = response.getRcode();
      if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
        for (Record r : response.getSection(Section.ANSWER)) {
          if (r instanceof SOARecord && r.getName().equals(n)) {
            return n;
          }
        }
        for (Record r : response.getSection(Section.AUTHORITY)) {
          if (r instanceof SOARecord && name.subdomain(r.getName())) {
            return r.getName();
          }
        }
        for (Record r : response.getSection(Section.AUTHORITY)) {
          if (r instanceof NSRecord ns && name.subdomain(ns.getName())) {
            throw new StepFailure(
                PublishFailure.ZONE_NOT_FOUND,
                step
                    + ": referral, "
                    + r.getName()
                    + " is delegated to "
                    + ns.getTarget()
                    + ", which this server does not serve");
          }
        }
      }
      tried
          .append(tried.length() == 0 ? "" : "; ")
          .append(step)
          .append(": ")
          .append(Rcode.string(rcode));
      if (n.labels() <= 2) {
        throw new StepFailure(PublishFailure.ZONE_NOT_FOUND, "no enclosing zone found: " + tried);
      }
    }
  }
}
