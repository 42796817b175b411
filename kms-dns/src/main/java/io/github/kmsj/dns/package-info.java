/**
 * DNS for KMS: {@link io.github.kmsj.dns.SrvLocator} finds hosts through {@code _vlmcs._tcp} SRV
 * records in <a href="https://www.rfc-editor.org/rfc/rfc2782">RFC 2782</a> order, and {@link
 * io.github.kmsj.dns.SrvPublisher} keeps a host's own SRV record in DNS by <a
 * href="https://www.rfc-editor.org/rfc/rfc2136">RFC 2136</a> dynamic update, optionally signed with
 * TSIG (<a href="https://www.rfc-editor.org/rfc/rfc8945">RFC 8945</a>).
 *
 * <p>Every name given as text is taken as fully qualified: {@code "corp.example"} means {@code
 * "corp.example."}. Nothing is ever completed with a search domain or a zone origin.
 */
package io.github.kmsj.dns;
