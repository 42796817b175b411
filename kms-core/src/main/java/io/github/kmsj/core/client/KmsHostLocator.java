package io.github.kmsj.core.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A source of KMS host addresses for a client that has none configured, such as DNS discovery of
 * {@code _vlmcs._tcp} SRV records (kms-dns's {@code SrvLocator}).
 *
 * <p>Implementations are thread-safe. A domain with no KMS host yields an empty {@link
 * LocatedHosts}, not an exception; {@link LocatorException} means the lookup itself failed
 * (timeout, server failure), so that "nothing published" and "could not ask" stay distinguishable.
 */
@FunctionalInterface
public interface KmsHostLocator {

  /**
   * Finds the KMS hosts for a domain, in the order a client should try them.
   *
   * @param domain the DNS domain to search, such as {@code "corp.example"} (always treated as fully
   *     qualified), or {@code null} to let the locator choose its default domains (for DNS, the
   *     resolver's search list)
   * @return the candidates in try order, and a record of what was tried
   * @throws LocatorException if the lookup failed before an answer could be had
   */
  LocatedHosts locate(String domain);

  /**
   * The addresses of a located host name, in the order to try them. By default the system
   * resolver's ({@link InetAddress#getAllByName}); a DNS locator resolves through the same server
   * it read the SRV records from.
   *
   * @throws UnknownHostException if the name has no address, with a message saying why
   */
  default List<InetAddress> addresses(String host) throws UnknownHostException {
    return List.of(InetAddress.getAllByName(host));
  }
}
