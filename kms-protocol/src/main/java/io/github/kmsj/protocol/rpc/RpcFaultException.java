package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.KmsProtocolException;

/** The host answered a call with an RPC fault PDU. */
public class RpcFaultException extends KmsProtocolException {
  private static final long serialVersionUID = 1L;

  private final transient NcaStatus status;

  /** A fault with the given status. */
  public RpcFaultException(NcaStatus status) {
    super("RPC fault " + status);
    this.status = status;
  }

  /** The fault's NCA status. */
  public NcaStatus status() {
    return status;
  }
}
