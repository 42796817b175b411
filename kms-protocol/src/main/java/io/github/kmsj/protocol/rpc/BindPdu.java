package io.github.kmsj.protocol.rpc;

import java.util.List;
import java.util.Objects;

/**
 * A bind (PTYPE 11) or alter_context (PTYPE 14); the two share one body ([C706] 12.6.4.3,
 * 12.6.4.1).
 *
 * @param type {@link PduType#BIND} or {@link PduType#ALTER_CONTEXT}
 * @param header the common header
 * @param maxXmitFrag {@code max_xmit_frag} (u16)
 * @param maxRecvFrag {@code max_recv_frag} (u16)
 * @param assocGroupId {@code assoc_group_id} (u32)
 * @param contexts the offered presentation contexts
 */
public record BindPdu(
    PduType type,
    PduHeader header,
    int maxXmitFrag,
    int maxRecvFrag,
    int assocGroupId,
    List<PresentationContext> contexts)
    implements Pdu {
  /** Checks. */
  public BindPdu {
    if (!PduType.BIND.equals(type) && !PduType.ALTER_CONTEXT.equals(type)) {
      throw new IllegalArgumentException("a bind PDU is bind or alter_context: " + type);
    }
    Objects.requireNonNull(header, "header");
    PduCodec.checkU16(maxXmitFrag, "max_xmit_frag");
    PduCodec.checkU16(maxRecvFrag, "max_recv_frag");
    contexts = List.copyOf(contexts);
    if (contexts.size() > 255) {
      throw new IllegalArgumentException("n_context_elem must be 0-255: " + contexts.size());
    }
  }

  /** Whether this is an alter_context. */
  public boolean isAlterContext() {
    return PduType.ALTER_CONTEXT.equals(type);
  }
}
