package io.github.kmsj.protocol.rpc;

import java.util.Objects;

/**
 * A fault (PTYPE 3) ([C706] 12.6.4.7); any stub after the status is ignored on decode.
 *
 * @param header the common header
 * @param allocHint {@code alloc_hint} (u32)
 * @param contextId {@code p_cont_id} (u16)
 * @param cancelCount {@code cancel_count} (u8)
 * @param status the NCA status code
 */
public record FaultPdu(
    PduHeader header, int allocHint, int contextId, int cancelCount, NcaStatus status)
    implements Pdu {
  /** Checks. */
  public FaultPdu {
    Objects.requireNonNull(header, "header");
    PduCodec.checkU16(contextId, "p_cont_id");
    PduCodec.checkU8(cancelCount, "cancel_count");
    Objects.requireNonNull(status, "status");
  }

  @Override
  public PduType type() {
    return PduType.FAULT;
  }
}
