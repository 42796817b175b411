package io.github.kmsj.protocol.rpc;

/**
 * An NCA status code as carried in a fault ([C706] appendix E, docs/PROTOCOL.md §3.8); an open
 * enum.
 *
 * @param value the 32-bit code
 */
public record NcaStatus(int value) {
  /** nca_s_op_rng_error: the opnum is out of range. */
  public static final NcaStatus OP_RNG_ERROR = new NcaStatus(0x1c010002);

  /** nca_s_unk_if: unknown interface or presentation context. */
  public static final NcaStatus UNK_IF = new NcaStatus(0x1c010003);

  /** nca_s_proto_error: protocol error. */
  public static final NcaStatus PROTO_ERROR = new NcaStatus(0x1c01000b);

  /** nca_s_invalid_pres_context_id. */
  public static final NcaStatus INVALID_PRES_CONTEXT_ID = new NcaStatus(0x1c00001c);

  /** rpc_x_bad_stub_data (1783). */
  public static final NcaStatus BAD_STUB_DATA = new NcaStatus(0x000006f7);

  /** The status of a wire value; never throws. */
  public static NcaStatus of(int value) {
    return new NcaStatus(value);
  }

  /** The symbolic name, or "unknown". */
  public String displayName() {
    return switch (value) {
      case 0x1c010002 -> "nca_s_op_rng_error";
      case 0x1c010003 -> "nca_s_unk_if";
      case 0x1c01000b -> "nca_s_proto_error";
      case 0x1c00001c -> "nca_s_invalid_pres_context_id";
      case 0x000006f7 -> "rpc_x_bad_stub_data";
      default -> "unknown";
    };
  }

  @Override
  public String toString() {
    return String.format("0x%08x (%s)", value, displayName());
  }
}
