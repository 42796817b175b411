package io.github.kmsj.core.catalog;

/**
 * Which kind of host key a group is: it decides what a host may combine (one Windows key, Office
 * keys).
 */
public enum HostKind {
  /** A Windows Server key: activates servers and clients. */
  SERVER,
  /** A Windows client key: never activates servers. */
  CLIENT,
  /** An Office key: activates only its own Office version. */
  OFFICE
}
