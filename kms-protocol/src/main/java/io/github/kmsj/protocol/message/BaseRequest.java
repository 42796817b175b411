package io.github.kmsj.protocol.message;

import java.util.Objects;

/**
 * The 236-byte base request every KMS version carries: in the clear in V4, encrypted in V5 and V6
 * (docs/PROTOCOL.md §5.2).
 *
 * @param version the inner version word (equals the outer one in V5/V6)
 * @param isClientVm 1 when the client runs in a virtual machine (u32 kept as sent)
 * @param licenseStatus the client's licence state
 * @param bindingExpiration minutes left in the client's current state (u32)
 * @param applicationId Windows, Office 2010 or Office 2013+
 * @param skuId the activation ID of the installed edition
 * @param kmsCountedId the product group the host counts and licenses
 * @param cmid the client machine ID
 * @param requiredClientCount the client's N policy (u32)
 * @param requestTime the client's UTC time
 * @param previousCmid the CMID before it last changed, {@link Guid#ZERO} when it never did
 * @param workstationName at most 63 UTF-16 code units, without NUL
 */
public record BaseRequest(
    ProtocolVersion version,
    int isClientVm,
    LicenseStatus licenseStatus,
    int bindingExpiration,
    Guid applicationId,
    Guid skuId,
    Guid kmsCountedId,
    Guid cmid,
    int requiredClientCount,
    Filetime requestTime,
    Guid previousCmid,
    String workstationName) {

  /** The encoded length. */
  public static final int SIZE = 236;

  /** The largest workstation name, in UTF-16 code units (64 with the NUL). */
  public static final int MAX_WORKSTATION_NAME = 63;

  /** Null and length checks. */
  public BaseRequest {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(licenseStatus, "licenseStatus");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(skuId, "skuId");
    Objects.requireNonNull(kmsCountedId, "kmsCountedId");
    Objects.requireNonNull(cmid, "cmid");
    Objects.requireNonNull(requestTime, "requestTime");
    Objects.requireNonNull(previousCmid, "previousCmid");
    Objects.requireNonNull(workstationName, "workstationName");
    if (workstationName.length() > MAX_WORKSTATION_NAME) {
      throw new IllegalArgumentException(
          "workstationName must be at most 63 UTF-16 code units: " + workstationName.length());
    }
    if (workstationName.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("workstationName must not contain NUL");
    }
  }

  /** Whether the client says it runs in a virtual machine. */
  public boolean isVirtualMachine() {
    return isClientVm != 0;
  }
}
