package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.util.Objects;

/**
 * A whole RequestActivation call a host must answer: the reassembled stub and what the response PDU
 * copies from the request.
 *
 * @param callId the request's call ID
 * @param contextId the accepted presentation context it named
 * @param syntax that context's transfer syntax
 * @param dataRepresentation the request's {@code packed_drep}
 * @param stub the request stub (not copied: owned by the call)
 */
public record KmsCall(
    int callId, int contextId, TransferSyntax syntax, int dataRepresentation, byte[] stub) {
  /** Null checks. */
  public KmsCall {
    Objects.requireNonNull(syntax, "syntax");
    Objects.requireNonNull(stub, "stub");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KmsCall c
        && c.callId == callId
        && c.contextId == contextId
        && c.syntax == syntax
        && c.dataRepresentation == dataRepresentation
        && java.util.Arrays.equals(c.stub, stub);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        callId, contextId, syntax, dataRepresentation, java.util.Arrays.hashCode(stub));
  }

  @Override
  public String toString() {
    return "KmsCall[callId="
        + callId
        + ", contextId="
        + contextId
        + ", syntax="
        + syntax
        + ", stub="
        + stub.length
        + " bytes]";
  }
}
