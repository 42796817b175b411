package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.Bytes;
import java.util.Objects;

/**
 * A response (PTYPE 2) ([C706] 12.6.4.10).
 *
 * @param header the common header
 * @param allocHint {@code alloc_hint} (u32)
 * @param contextId {@code p_cont_id} (u16), copied from the request
 * @param cancelCount {@code cancel_count} (u8)
 * @param stub the stub data
 */
public record ResponsePdu(
    PduHeader header, int allocHint, int contextId, int cancelCount, Bytes stub) implements Pdu {
  /** Checks. */
  public ResponsePdu {
    Objects.requireNonNull(header, "header");
    PduCodec.checkU16(contextId, "p_cont_id");
    PduCodec.checkU8(cancelCount, "cancel_count");
    Objects.requireNonNull(stub, "stub");
  }

  @Override
  public PduType type() {
    return PduType.RESPONSE;
  }
}
