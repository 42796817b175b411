package io.github.kmsj.protocol.message;

import java.util.Map;

/**
 * An HRESULT as carried on the wire; unknown codes are kept, never rejected (docs/PROTOCOL.md
 * §7.2).
 *
 * @param value the 32-bit code
 */
public record HResult(int value) {
  /** Success. */
  public static final HResult S_OK = new HResult(0);

  /**
   * ERROR_INVALID_DATA: the answer to an unknown version, a malformed request or an N policy above
   * 1000.
   */
  public static final HResult INVALID_DATA = new HResult(0x8007000D);

  /** SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH: the host does not license this KMS counted ID. */
  public static final HResult KMS_ID_MISMATCH = new HResult(0xC004F042);

  /** SL_E_VL_INVALID_TIMESTAMP: the client clock is more than 4 hours from the host's. */
  public static final HResult INVALID_TIMESTAMP = new HResult(0xC004F06C);

  /** SL_E_VL_NOT_ENOUGH_COUNT: the count is below the client's N policy (client-side only). */
  public static final HResult NOT_ENOUGH_COUNT = new HResult(0xC004F038);

  /** SL_E_VL_BINDING_SERVICE_UNAVAILABLE: no KMS host could be contacted (client-side only). */
  public static final HResult BINDING_SERVICE_UNAVAILABLE = new HResult(0xC004F074);

  /** SL_REMAPPING_SP_STATUS_INVALIDARG. */
  public static final HResult SP_STATUS_INVALIDARG = new HResult(0xC004D104);

  /** SL_E_VL_KMS_NOT_ENABLED (genuine hosts only). */
  public static final HResult KMS_NOT_ENABLED = new HResult(0xC004F039);

  /** SL_E_VL_KMS_HOST_NOT_ACTIVATED (genuine hosts only). */
  public static final HResult KMS_HOST_NOT_ACTIVATED = new HResult(0xC004F041);

  /**
   * ERROR_IO_DEVICE: the host cannot record the request because its storage fails (a kmsj host's
   * answer while its store is degraded; the client retries after its activation interval).
   */
  public static final HResult IO_DEVICE = new HResult(0x8007045D);

  private static final Map<Integer, String> NAMES =
      Map.of(
          0, "S_OK",
          0x8007000D, "ERROR_INVALID_DATA",
          0xC004F042, "SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH",
          0xC004F06C, "SL_E_VL_INVALID_TIMESTAMP",
          0xC004F038, "SL_E_VL_NOT_ENOUGH_COUNT",
          0xC004F074, "SL_E_VL_BINDING_SERVICE_UNAVAILABLE",
          0xC004D104, "SL_REMAPPING_SP_STATUS_INVALIDARG",
          0xC004F039, "SL_E_VL_KMS_NOT_ENABLED",
          0xC004F041, "SL_E_VL_KMS_HOST_NOT_ACTIVATED",
          0x8007045D, "ERROR_IO_DEVICE");

  private static final Map<Integer, String> MEANINGS =
      Map.of(
          0, "success",
          0x8007000D, "the data is invalid (unsupported protocol version or malformed request)",
          0xC004F042,
              "the specified KMS host cannot be used: its host key does not cover this product",
          0xC004F06C, "the request time is more than 4 hours away from the host's clock",
          0xC004F038, "the count reported by the KMS host is insufficient",
          0xC004F074, "no KMS host could be contacted",
          0xC004D104, "the security processor reported that invalid data was used",
          0xC004F039, "the KMS is not enabled",
          0xC004F041, "the KMS host is not activated",
          0x8007045D,
              "the request could not be performed because of an I/O device error"
                  + " (the host cannot record it)");

  /** The HRESULT of a code; never throws. */
  public static HResult of(int value) {
    return value == 0 ? S_OK : new HResult(value);
  }

  /** Whether the severity bit is set. */
  public boolean isFailure() {
    return value < 0;
  }

  /** The symbolic name, or empty for an unknown code. */
  public java.util.Optional<String> name() {
    return java.util.Optional.ofNullable(NAMES.get(value));
  }

  /** Microsoft's meaning of the code, or "unknown HRESULT". */
  public String meaning() {
    return MEANINGS.getOrDefault(value, "unknown HRESULT");
  }

  /** {@code 0xC004F042} style, with the name when known. */
  @Override
  public String toString() {
    String hex = String.format("0x%08X", value);
    String name = NAMES.get(value);
    return name == null ? hex : hex + " " + name;
  }
}
