package io.github.kmsj.protocol.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.internal.LittleEndian;
import io.github.kmsj.protocol.testing.Mutations;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The three codec properties of STYLE.md §4 for {@link PduCodec} and {@link PduDecoder}. */
final class PduCodecProperties {

  @Provide
  Arbitrary<Pdu> pdus() {
    return PduArbitraries.pdus();
  }

  @Provide
  Arbitrary<RequestPdu> requests() {
    return PduArbitraries.requests();
  }

  @Provide
  Arbitrary<ResponsePdu> responses() {
    return PduArbitraries.responses();
  }

  @Provide
  Arbitrary<FaultPdu> faults() {
    return PduArbitraries.faults();
  }

  @Provide
  Arbitrary<BindPdu> binds() {
    return PduArbitraries.binds();
  }

  @Provide
  Arbitrary<BindAckPdu> bindAcks() {
    return PduArbitraries.bindAcks();
  }

  @Provide
  Arbitrary<BindNakPdu> bindNaks() {
    return PduArbitraries.bindNaks();
  }

  @Provide
  Arbitrary<OtherPdu> others() {
    return PduArbitraries.others();
  }

  private static void roundTrip(Pdu pdu) {
    byte[] bytes = PduCodec.encode(pdu);
    assertEquals(bytes.length, LittleEndian.getShort(bytes, 8), "frag_length");
    assertEquals(pdu, PduCodec.decode(bytes, DecodeLimits.DEFAULT));
  }

  @Property(tries = 150)
  void request_decodeOfEncode_givesItBack(@ForAll("requests") RequestPdu pdu) {
    roundTrip(pdu);
  }

  @Property(tries = 150)
  void response_decodeOfEncode_givesItBack(@ForAll("responses") ResponsePdu pdu) {
    roundTrip(pdu);
  }

  @Property(tries = 150)
  void fault_decodeOfEncode_givesItBack(@ForAll("faults") FaultPdu pdu) {
    roundTrip(pdu);
  }

  @Property(tries = 150)
  void bind_decodeOfEncode_givesItBack(@ForAll("binds") BindPdu pdu) {
    roundTrip(pdu);
  }

  @Property(tries = 150)
  void bindAck_decodeOfEncode_givesItBack(@ForAll("bindAcks") BindAckPdu pdu) {
    roundTrip(pdu);
    int secLength = pdu.secondaryAddress().isEmpty() ? 0 : pdu.secondaryAddress().length() + 1;
    int a = (26 + secLength + 3) & ~3;
    assertEquals(
        a + 4 + 24 * pdu.results().size(),
        PduCodec.encode(pdu).length,
        "docs/PROTOCOL.md §3.4 length");
  }

  @Property(tries = 150)
  void bindNak_decodeOfEncode_givesItBack(@ForAll("bindNaks") BindNakPdu pdu) {
    roundTrip(pdu);
  }

  @Property(tries = 150)
  void other_decodeOfEncode_givesItBack(@ForAll("others") OtherPdu pdu) {
    roundTrip(pdu);
  }

  /**
   * Noise, plus noise behind a plausible header (version 5.0, little-endian, matching frag_length).
   */
  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> headed =
        Combinators.combine(
                Arbitraries.integers().between(0, 20), PduArbitraries.u8(), Mutations.noise(400))
            .as(
                (ptype, flags, body) -> {
                  byte[] b = new byte[16 + body.length];
                  b[0] = 5;
                  b[2] = (byte) ptype.intValue();
                  b[3] = (byte) flags.intValue();
                  b[4] = 0x10;
                  LittleEndian.putShort(b, 8, b.length);
                  System.arraycopy(body, 0, b, 16, body.length);
                  return b;
                });
    return Arbitraries.oneOf(Mutations.noise(600), headed, headed);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return Mutations.of(PduArbitraries.pdus().map(PduCodec::encode));
  }

  @Property(tries = 1000)
  void decode_randomBytes_failsOnlyWithOurException(@ForAll("noise") byte[] bytes) {
    decodeBothWays(bytes);
  }

  @Property(tries = 1000)
  void decode_mutatedPdu_failsOnlyWithOurException(@ForAll("mutated") byte[] bytes) {
    decodeBothWays(bytes);
  }

  /**
   * PduCodec.decode and a PduDecoder fed the same bytes; the decoder must stop within a bounded
   * number of polls.
   */
  static void decodeBothWays(byte[] bytes) {
    try {
      PduCodec.decode(bytes, DecodeLimits.DEFAULT);
    } catch (KmsProtocolException expected) {
      // the only failure allowed
    }
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    decoder.feed(bytes);
    try {
      int polls = 0;
      while (decoder.next().isPresent()) {
        assertTrue(++polls <= bytes.length / 16, "more PDUs than 16-byte headers");
      }
    } catch (KmsProtocolException expected) {
      // the only failure allowed
    }
  }

  /** Several PDUs on one stream and the points where the transport happened to cut it. */
  record Split(List<Pdu> pdus, byte[] stream, TreeSet<Integer> cuts) {}

  @Provide
  Arbitrary<Split> splits() {
    return PduArbitraries.pdus()
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .flatMap(
            list -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              list.forEach(p -> out.writeBytes(PduCodec.encode(p)));
              byte[] stream = out.toByteArray();
              return Arbitraries.integers()
                  .between(1, stream.length)
                  .set()
                  .ofMaxSize(12)
                  .map(cuts -> new Split(list, stream, new TreeSet<>(cuts)));
            });
  }

  @Property(tries = 200)
  void decoder_anySplitOfAValidStream_givesTheSamePdus(@ForAll("splits") Split s) {
    List<Pdu> expected = new ArrayList<>();
    for (Pdu p : s.pdus()) {
      expected.add(PduCodec.decode(PduCodec.encode(p), DecodeLimits.DEFAULT));
    }
    assertEquals(expected, feed(s.stream(), s.cuts()));
    for (int chunk : new int[] {1, 3, 100}) {
      TreeSet<Integer> cuts = new TreeSet<>();
      for (int at = chunk; at < s.stream().length; at += chunk) {
        cuts.add(at);
      }
      assertEquals(expected, feed(s.stream(), cuts), chunk + "-byte chunks");
    }
    TreeSet<Integer> atOne = new TreeSet<>(List.of(1));
    assertEquals(expected, feed(s.stream(), atOne), "split at offset 1");
  }

  private static List<Pdu> feed(byte[] stream, TreeSet<Integer> cuts) {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    List<Pdu> got = new ArrayList<>();
    int from = 0;
    List<Integer> points = new ArrayList<>(cuts);
    points.add(stream.length);
    for (int to : points) {
      if (to <= from || to > stream.length) {
        continue;
      }
      decoder.feed(stream, from, to - from);
      from = to;
      for (Optional<Pdu> p = decoder.next(); p.isPresent(); p = decoder.next()) {
        got.add(p.get());
      }
    }
    assertEquals(0, decoder.buffered());
    return got;
  }
}
