package io.github.kmsj.core.host;

import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One processed request, with the fields of Microsoft's KMS event 12290 plus what kmsj knows
 * besides. Fields the request did not carry (an undecodable or unsupported request) are empty.
 *
 * @param time when the host handled it (the host's clock)
 * @param remote the client's address, when the request came over a network
 * @param protocolVersion the request's version
 * @param workstationName the client's name
 * @param cmid the client machine ID
 * @param applicationId the application
 * @param skuId the edition
 * @param kmsCountedId the product group
 * @param requiredClientCount the client's N policy
 * @param licenseStatus the client's licence state
 * @param bindingExpiration minutes left in the client's state ("time to expiry" in event 12290)
 * @param clientVm whether the client runs in a VM
 * @param hresult the answer's HRESULT
 * @param currentCount the count returned (0 for a refusal)
 * @param groupId the host-key group that covered the product
 * @param reason why it was refused, empty when answered
 * @param processingTime how long the host took
 * @param probe whether this was a readiness probe, which is never counted
 * @param catalogDigest the SHA-256 digest of the product catalog the host decided with ({@code
 *     ProductCatalog.digest()}), so a report says which catalog a host used
 * @param clientTime the client's clock as the request carried it (event 12290's client timestamp);
 *     empty for a request that did not decode
 */
public record RequestEvent(
    Instant time,
    Optional<InetSocketAddress> remote,
    Optional<ProtocolVersion> protocolVersion,
    Optional<String> workstationName,
    Optional<Guid> cmid,
    Optional<Guid> applicationId,
    Optional<Guid> skuId,
    Optional<Guid> kmsCountedId,
    Optional<Integer> requiredClientCount,
    Optional<LicenseStatus> licenseStatus,
    Optional<Integer> bindingExpiration,
    Optional<Boolean> clientVm,
    HResult hresult,
    int currentCount,
    Optional<String> groupId,
    Optional<String> reason,
    Duration processingTime,
    boolean probe,
    String catalogDigest,
    Optional<Instant> clientTime) {

  /** An event without the client's time, as events were before it was carried. */
  public RequestEvent(
      Instant time,
      Optional<InetSocketAddress> remote,
      Optional<ProtocolVersion> protocolVersion,
      Optional<String> workstationName,
      Optional<Guid> cmid,
      Optional<Guid> applicationId,
      Optional<Guid> skuId,
      Optional<Guid> kmsCountedId,
      Optional<Integer> requiredClientCount,
      Optional<LicenseStatus> licenseStatus,
      Optional<Integer> bindingExpiration,
      Optional<Boolean> clientVm,
      HResult hresult,
      int currentCount,
      Optional<String> groupId,
      Optional<String> reason,
      Duration processingTime,
      boolean probe,
      String catalogDigest) {
    this(
        time,
        remote,
        protocolVersion,
        workstationName,
        cmid,
        applicationId,
        skuId,
        kmsCountedId,
        requiredClientCount,
        licenseStatus,
        bindingExpiration,
        clientVm,
        hresult,
        currentCount,
        groupId,
        reason,
        processingTime,
        probe,
        catalogDigest,
        Optional.empty());
  }

  /** Whether the host answered with a count (HRESULT 0). */
  public boolean isAnswered() {
    return hresult.value() == 0;
  }

  /** Whether an answered request reached the client's N policy, that is, the client activates. */
  public boolean isActivating() {
    return isAnswered() && requiredClientCount.map(n -> currentCount >= n).orElse(false);
  }
}
