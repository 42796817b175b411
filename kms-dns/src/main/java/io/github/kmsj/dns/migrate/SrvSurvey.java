package io.github.kmsj.dns.migrate;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.LocatedHosts;
import io.github.kmsj.dns.SrvLocator;
import io.github.kmsj.dns.SrvShares;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A domain's {@code _vlmcs._tcp} records as a client sees them: each target's addresses through the
 * same DNS server, whether it answers KMS, and its share of clients ({@link SrvShares}). A record
 * is stale when its target has no address or nothing there answers KMS.
 *
 * @param located what the lookup found, in one client's RFC 2782 order
 * @param records one entry per record, in the order found
 */
public record SrvSurvey(LocatedHosts located, List<RecordView> records) {
  /** Copies the list. */
  public SrvSurvey {
    Objects.requireNonNull(located, "located");
    records = List.copyOf(records);
  }

  /**
   * One record.
   *
   * @param candidate the record
   * @param share its chances of being tried first
   * @param addresses its target's addresses through the locator's server
   * @param addressError why the target has no address, when it has none
   * @param answer the answer of the first address to a probe (uncounted CMID), when probed
   */
  public record RecordView(
      HostCandidate candidate,
      SrvShares.Share share,
      List<InetAddress> addresses,
      Optional<String> addressError,
      Optional<ActivationResult> answer) {
    /** Copies the list. */
    public RecordView {
      Objects.requireNonNull(candidate, "candidate");
      addresses = List.copyOf(addresses);
      Objects.requireNonNull(addressError, "addressError");
      Objects.requireNonNull(answer, "answer");
    }

    /** Whether the target has an address and it answered KMS (granted or refused). */
    public boolean answersKms() {
      return answer
          .filter(r -> CoverageMatrix.outcome(r) != CoverageMatrix.Outcome.FAILED)
          .isPresent();
    }

    /** Whether the record is stale: no address, or nothing answering KMS there. */
    public boolean isStale() {
      return addresses.isEmpty() || (answer.isPresent() && !answersKms());
    }

    /** Why the record is stale, one phrase; empty when it is not. */
    public Optional<String> staleReason() {
      if (addresses.isEmpty()) {
        return Optional.of("no address: " + addressError.orElse("none"));
      }
      if (answer.isPresent() && !answersKms()) {
        return Optional.of("nothing answers KMS at " + endpoint() + ": " + describe(answer.get()));
      }
      return Optional.empty();
    }

    /** The first address and the port, {@code 10.0.0.1:1688}; the target name when none. */
    public String endpoint() {
      return addresses.isEmpty()
          ? candidate.address()
          : text(new InetSocketAddress(addresses.get(0), candidate.port()));
    }

    /** Whether one of the target's addresses and its port are {@code address}. */
    public boolean pointsAt(InetSocketAddress address) {
      if (address.getPort() != candidate.port()) {
        return false;
      }
      if (address.isUnresolved()) {
        return address.getHostString().equalsIgnoreCase(candidate.host());
      }
      return addresses.contains(address.getAddress())
          || address.getHostString().equalsIgnoreCase(candidate.host());
    }
  }

  /**
   * Looks up {@code domain} (the search list when null) and surveys every record.
   *
   * @param probe sends one uncounted probe to an address; null to skip the KMS check
   * @throws io.github.kmsj.core.client.LocatorException if the lookup failed
   */
  public static SrvSurvey of(
      SrvLocator locator, String domain, Function<InetSocketAddress, ActivationResult> probe) {
    LocatedHosts located = locator.locate(domain);
    List<SrvShares.Share> shares = SrvShares.of(located.candidates());
    List<RecordView> views = new ArrayList<>();
    for (SrvShares.Share share : shares) {
      HostCandidate c = share.candidate();
      List<InetAddress> addresses = List.of();
      Optional<String> error = Optional.empty();
      try {
        addresses = locator.addresses(c.host());
      } catch (UnknownHostException e) {
        error = Optional.of(e.getMessage());
      }
      Optional<ActivationResult> answer =
          addresses.isEmpty() || probe == null
              ? Optional.empty()
              : Optional.of(probe.apply(new InetSocketAddress(addresses.get(0), c.port())));
      views.add(new RecordView(c, share, addresses, error, answer));
    }
    return new SrvSurvey(located, views);
  }

  /** The records that are stale. */
  public List<RecordView> stale() {
    return records.stream().filter(RecordView::isStale).toList();
  }

  /**
   * The order a client tries the records in, most likely first: by priority, then by share within
   * the priority.
   */
  public List<RecordView> likelyOrder() {
    List<RecordView> sorted = new ArrayList<>(records);
    sorted.sort(
        (a, b) -> {
          int p = Integer.compare(a.candidate().priority(), b.candidate().priority());
          return p != 0
              ? p
              : Double.compare(b.share().withinPriority(), a.share().withinPriority());
        });
    return sorted;
  }

  static String describe(ActivationResult r) {
    if (r instanceof ActivationResult.TransportFailure f) {
      return f.message();
    }
    if (r instanceof ActivationResult.Refused ref) {
      return "refused " + ref.hresult();
    }
    return r.hresult().toString();
  }

  static String text(InetSocketAddress a) {
    String ip = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
  }
}
