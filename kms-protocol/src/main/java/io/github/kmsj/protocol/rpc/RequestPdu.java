package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.Guid;
import java.util.Objects;
import java.util.Optional;

/**
 * A request (PTYPE 0) or one fragment of it ([C706] 12.6.4.9).
 *
 * @param header the common header
 * @param allocHint {@code alloc_hint} (u32)
 * @param contextId {@code p_cont_id} (u16)
 * @param opnum the operation number (u16); KMS has only 0
 * @param object the object UUID, present only with {@link PfcFlags#OBJECT_UUID}
 * @param stub the stub data of this fragment
 */
public record RequestPdu(
    PduHeader header, int allocHint, int contextId, int opnum, Optional<Guid> object, Bytes stub)
    implements Pdu {
  /** Checks that the object UUID agrees with the flag. */
  public RequestPdu {
    Objects.requireNonNull(header, "header");
    PduCodec.checkU16(contextId, "p_cont_id");
    PduCodec.checkU16(opnum, "opnum");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(stub, "stub");
    if (object.isPresent() != header.has(PfcFlags.OBJECT_UUID)) {
      throw new IllegalArgumentException(
          "object UUID must be present exactly when PFC_OBJECT_UUID is set");
    }
  }

  @Override
  public PduType type() {
    return PduType.REQUEST;
  }
}
