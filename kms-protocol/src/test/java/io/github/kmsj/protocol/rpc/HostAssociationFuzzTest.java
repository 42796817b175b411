package io.github.kmsj.protocol.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.testing.FuzzInputs;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of a {@link HostAssociation} after a recorded valid bind
 * (docs/FUZZING.md): whatever PDUs follow, it fails only with {@link KmsProtocolException}, its
 * replies re-encode and decode back equal, and a dispatched call's stub goes down the host's decode
 * path with the same guarantee.
 *
 * <p>Input: byte 0 picks the recorded bind (modulo their number), the rest is the client's stream.
 */
final class HostAssociationFuzzTest {
  private static final List<byte[][]> BOUND = FuzzInputs.boundConnections();

  @FuzzTest(maxDuration = "5m")
  void association_afterValidBind_anyPdus(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] bind = BOUND.get((data[0] & 0xff) % BOUND.size())[0];
    HostAssociation host =
        new HostAssociation(RpcFeatures.MODERN, 0x1234, "1688", DecodeLimits.DEFAULT);
    HostAssociation.Outcome bound = host.accept(PduCodec.decode(bind, DecodeLimits.DEFAULT));
    assertTrue(bound instanceof HostAssociation.Reply && host.isBound(), "the recorded bind");
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    decoder.feed(data, 1, data.length - 1);
    try {
      for (Optional<Pdu> p = decoder.next(); p.isPresent(); p = decoder.next()) {
        HostAssociation.Outcome outcome = host.accept(p.get());
        if (outcome instanceof HostAssociation.Reply reply) {
          roundTrip(reply.pdu());
        } else if (outcome instanceof HostAssociation.Dispatch dispatch) {
          KmsCall call = dispatch.call();
          roundTrip(host.respond(call, new byte[] {1, 2, 3, 4}));
          try {
            KmsHostCodec.decodeRequest(
                KmsStubCodec.decodeRequest(call.syntax(), call.stub(), 4096));
          } catch (KmsProtocolException expected) {
            // the only failure allowed
          }
        } else if (outcome instanceof HostAssociation.Close) {
          return;
        }
      }
    } catch (KmsProtocolException expected) {
      decoder
          .rejected()
          .flatMap(HostAssociation::rejection)
          .ifPresent(HostAssociationFuzzTest::roundTrip);
    }
  }

  private static void roundTrip(Pdu pdu) {
    assertEquals(pdu, PduCodec.decode(PduCodec.encode(pdu), DecodeLimits.DEFAULT));
  }
}
