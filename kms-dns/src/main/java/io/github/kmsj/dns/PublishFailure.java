package io.github.kmsj.dns;

/**
 * Why publishing or removing a host's SRV record failed. Response codes are those of <a
 * href="https://www.rfc-editor.org/rfc/rfc2136#section-2.2">RFC 2136 §2.2</a> and TSIG errors those
 * of <a href="https://www.rfc-editor.org/rfc/rfc8945#section-5.3">RFC 8945 §5.3</a>.
 */
public enum PublishFailure {
  /**
   * The server refused the update (REFUSED): typically an unsigned update to a zone requiring TSIG.
   */
  REFUSED,
  /** The server is not authoritative for the zone or did not authorize the request (NOTAUTH). */
  NOT_AUTHORIZED,
  /** The server could not verify our TSIG signature (NOTAUTH, TSIG error BADSIG): wrong secret. */
  BAD_SIGNATURE,
  /** The server does not know our TSIG key or algorithm (NOTAUTH, TSIG error BADKEY). */
  BAD_KEY,
  /**
   * Our clock differs from the server's by more than the TSIG fudge (NOTAUTH, TSIG error BADTIME).
   */
  BAD_TIME,
  /** The record's name is outside the zone the update was sent to (NOTZONE). */
  NOT_ZONE,
  /** No enclosing zone was found for the name, or it is delegated to servers we do not talk to. */
  ZONE_NOT_FOUND,
  /** A signed request got a reply that is unsigned or whose signature does not verify. */
  UNVERIFIED_RESPONSE,
  /** The server answered with another error code (SERVFAIL, FORMERR, NXRRSET, ...). */
  SERVER_ERROR,
  /** The server did not answer in time. */
  TIMEOUT,
  /** Sending or receiving failed for another I/O reason. */
  NETWORK_ERROR,
  /** The update was accepted, but reading the record back did not show the expected result. */
  VERIFICATION_MISMATCH
}
