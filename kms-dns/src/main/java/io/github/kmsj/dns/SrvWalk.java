package io.github.kmsj.dns;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.LocatedHosts;
import io.github.kmsj.core.client.Stage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One client's walk down a domain's SRV records, as Windows does it: each record in RFC 2782 order,
 * each of its target's addresses (resolved through the locator's server), until one answers; a host
 * that cannot be reached or gives no answer is failed over, anything else (an activation, a
 * refusal, a response that fails verification) ends the walk. Unlike {@code KmsClient}'s own
 * discovery it keeps every step, so that a tool can say which record answered and why each one
 * before it failed.
 *
 * @param located what the lookup found
 * @param attempts every step, in order
 */
public record SrvWalk(LocatedHosts located, List<Attempt> attempts) {
  /** Copies the list. */
  public SrvWalk {
    Objects.requireNonNull(located, "located");
    attempts = List.copyOf(attempts);
  }

  /**
   * One step.
   *
   * @param candidate the record
   * @param address the address tried, empty when the target had none
   * @param addressError why the target had no address
   * @param result the answer, when an address was tried
   */
  public record Attempt(
      HostCandidate candidate,
      Optional<InetSocketAddress> address,
      Optional<String> addressError,
      Optional<ActivationResult> result) {
    /** Whether a client moves on to the next address or record after this step. */
    public boolean isFailover() {
      return result.isEmpty()
          || (result.get() instanceof ActivationResult.TransportFailure f
              && f.stage() != Stage.RESPONSE_VALIDATION);
    }

    /** Why the step failed over, one phrase; empty when it did not. */
    public Optional<String> failoverReason() {
      if (!isFailover()) {
        return Optional.empty();
      }
      return Optional.of(
          result
              .map(r -> ((ActivationResult.TransportFailure) r).message())
              .orElse(addressError.orElse("no address")));
    }
  }

  /**
   * Walks the records of {@code domain} (the search list when null), sending with {@code send}.
   *
   * @throws io.github.kmsj.core.client.LocatorException if the lookup failed
   */
  public static SrvWalk walk(
      SrvLocator locator, String domain, Function<InetSocketAddress, ActivationResult> send) {
    LocatedHosts located = locator.locate(domain);
    List<Attempt> attempts = new ArrayList<>();
    for (HostCandidate c : located.candidates()) {
      List<InetAddress> addresses;
      try {
        addresses = locator.addresses(c.host());
      } catch (UnknownHostException e) {
        attempts.add(
            new Attempt(c, Optional.empty(), Optional.of(e.getMessage()), Optional.empty()));
        continue;
      }
      for (InetAddress a : addresses) {
        InetSocketAddress endpoint = new InetSocketAddress(a, c.port());
        Attempt attempt =
            new Attempt(
                c, Optional.of(endpoint), Optional.empty(), Optional.of(send.apply(endpoint)));
        attempts.add(attempt);
        if (!attempt.isFailover()) {
          return new SrvWalk(located, attempts);
        }
      }
    }
    return new SrvWalk(located, attempts);
  }

  /** The step that ended the walk with an answer, if one did. */
  public Optional<Attempt> answered() {
    return attempts.isEmpty() || attempts.get(attempts.size() - 1).isFailover()
        ? Optional.empty()
        : Optional.of(attempts.get(attempts.size() - 1));
  }
}
