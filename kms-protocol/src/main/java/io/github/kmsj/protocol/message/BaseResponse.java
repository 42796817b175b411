package io.github.kmsj.protocol.message;

import java.util.Objects;

/**
 * The base response every KMS version carries: 44 bytes plus the ePID (docs/PROTOCOL.md §5.3).
 *
 * @param version copied from the request
 * @param ePid the host's extended product ID (see {@link Epid}), without its NUL
 * @param cmid the request's client machine ID, echoed
 * @param requestTime the request's time, echoed
 * @param currentClientCount the host's count for the product (u32)
 * @param vlActivationInterval minutes a client that is not activated waits before retrying (u32)
 * @param vlRenewalInterval minutes between renewals of an activated client (u32)
 */
public record BaseResponse(
    ProtocolVersion version,
    String ePid,
    Guid cmid,
    Filetime requestTime,
    int currentClientCount,
    int vlActivationInterval,
    int vlRenewalInterval) {

  /** The largest ePID field, NUL included, in bytes. */
  public static final int MAX_EPID_SIZE = 128;

  /** Null and size checks: the ePID with its NUL must fit 128 bytes. */
  public BaseResponse {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ePid, "ePid");
    Objects.requireNonNull(cmid, "cmid");
    Objects.requireNonNull(requestTime, "requestTime");
    if (ePid.length() * 2 + 2 > MAX_EPID_SIZE) {
      throw new IllegalArgumentException("ePid must be at most 63 UTF-16 code units: " + ePid);
    }
    if (ePid.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("ePid must not contain NUL");
    }
  }

  /** {@code ePidSize}: the ePID's byte length with its NUL. */
  public int ePidSize() {
    return BaseCodec.utf16leLength(ePid) + 2;
  }

  /** The encoded length, 44 + ePidSize. */
  public int size() {
    return 44 + ePidSize();
  }
}
