package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.Guid;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for every {@link Pdu} record, within {@link
 * io.github.kmsj.protocol.DecodeLimits#DEFAULT}.
 */
final class PduArbitraries {
  private PduArbitraries() {}

  static Arbitrary<Integer> u16() {
    return Arbitraries.integers().between(0, 0xffff);
  }

  static Arbitrary<Integer> u8() {
    return Arbitraries.integers().between(0, 0xff);
  }

  static Arbitrary<PduHeader> headers() {
    // packed_drep: little-endian ASCII in the first octet (the only representation decoded),
    // anything after.
    Arbitrary<Integer> drep = Arbitraries.integers().between(0, 0xffffff).map(hi -> hi << 8 | 0x10);
    return Combinators.combine(u8(), drep, Arbitraries.integers()).as(PduHeader::new);
  }

  static Arbitrary<Guid> guids() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Guid::new);
  }

  static Arbitrary<Bytes> stubs() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(Bytes::of);
  }

  static Arbitrary<SyntaxId> syntaxes() {
    return Arbitraries.oneOf(
        Combinators.combine(guids(), Arbitraries.integers()).as(SyntaxId::new),
        Arbitraries.of(SyntaxId.KMS_INTERFACE, SyntaxId.NULL, SyntaxId.bindTimeFeatures(3)));
  }

  static Arbitrary<RequestPdu> requests() {
    return Combinators.combine(headers(), Arbitraries.integers(), u16(), u16(), guids(), stubs())
        .as(
            (h, alloc, ctx, opnum, object, stub) ->
                new RequestPdu(
                    h,
                    alloc,
                    ctx,
                    opnum,
                    h.has(PfcFlags.OBJECT_UUID) ? Optional.of(object) : Optional.empty(),
                    stub));
  }

  static Arbitrary<ResponsePdu> responses() {
    return Combinators.combine(headers(), Arbitraries.integers(), u16(), u8(), stubs())
        .as(ResponsePdu::new);
  }

  static Arbitrary<FaultPdu> faults() {
    return Combinators.combine(
            headers(),
            Arbitraries.integers(),
            u16(),
            u8(),
            Arbitraries.integers().map(NcaStatus::of))
        .as(FaultPdu::new);
  }

  static Arbitrary<PresentationContext> contexts() {
    return Combinators.combine(u16(), syntaxes(), syntaxes().list().ofMinSize(1).ofMaxSize(3))
        .as(PresentationContext::new);
  }

  static Arbitrary<BindPdu> binds() {
    return Combinators.combine(
            Arbitraries.of(PduType.BIND, PduType.ALTER_CONTEXT),
            headers(),
            u16(),
            u16(),
            Arbitraries.integers(),
            contexts().list().ofMaxSize(8))
        .as(BindPdu::new);
  }

  static Arbitrary<ContextResult> results() {
    return Combinators.combine(u16(), u16(), syntaxes()).as(ContextResult::new);
  }

  static Arbitrary<BindAckPdu> bindAcks() {
    Arbitrary<String> port =
        Arbitraries.strings().withCharRange('\u0001', '\u007f').ofMaxLength(12);
    return Combinators.combine(
            Arbitraries.of(PduType.BIND_ACK, PduType.ALTER_CONTEXT_RESP),
            headers(),
            u16(),
            u16(),
            Arbitraries.integers(),
            port,
            results().list().ofMaxSize(8))
        .as(BindAckPdu::new);
  }

  static Arbitrary<BindNakPdu> bindNaks() {
    return Combinators.combine(headers(), u16(), u16().list().ofMaxSize(5)).as(BindNakPdu::new);
  }

  static Arbitrary<OtherPdu> others() {
    Arbitrary<PduType> type =
        Arbitraries.integers()
            .between(0, 255)
            .filter(t -> !PduCodec.hasOwnRecord(t))
            .map(PduType::of);
    return Combinators.combine(type, headers(), stubs()).as(OtherPdu::new);
  }

  static Arbitrary<Pdu> pdus() {
    return Arbitraries.oneOf(
        requests(), responses(), faults(), binds(), bindAcks(), bindNaks(), others());
  }
}
