package io.github.kmsj.core.client;

import java.util.List;
import java.util.Objects;

/**
 * The result of one {@link KmsHostLocator#locate} call: the hosts to try, in order, and a readable
 * account of what discovery did, so that "no KMS host found" can say what was tried.
 *
 * @param query what was looked up, for example {@code "_vlmcs._tcp.corp.example."}
 * @param candidates the hosts in the order a client should try them; empty when none was found
 * @param attempts one human-readable line per step (name queried, resolver, response code)
 */
public record LocatedHosts(String query, List<HostCandidate> candidates, List<String> attempts) {

  /** Checks the fields and copies the lists. */
  public LocatedHosts {
    Objects.requireNonNull(query, "query");
    candidates = List.copyOf(candidates);
    attempts = List.copyOf(attempts);
  }

  /** Returns whether no host was found. */
  public boolean isEmpty() {
    return candidates.isEmpty();
  }
}
