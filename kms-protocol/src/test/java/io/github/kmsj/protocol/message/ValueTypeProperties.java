package io.github.kmsj.protocol.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Epid, Guid, Filetime and ProtocolVersion: text and wire round trips and the spec's examples. */
final class ValueTypeProperties {
  private static final HexFormat HEX = HexFormat.of();

  // ---------------------------------------------------------------- Epid (docs/PROTOCOL.md §8)

  @Provide
  Arbitrary<Epid> epids() {
    Arbitrary<LocalDate> dates =
        Combinators.combine(
                Arbitraries.integers().between(1000, 9999), Arbitraries.integers().between(1, 365))
            .as(LocalDate::ofYearDay);
    return Combinators.combine(
            Arbitraries.integers().between(0, 99_999),
            Arbitraries.integers().between(0, 99_999),
            Arbitraries.integers().between(0, 999_999_999),
            Arbitraries.integers().between(0, 99),
            Arbitraries.integers().between(0, 99_999),
            Arbitraries.integers().between(0, 99_999),
            dates)
        .as(Epid::new);
  }

  @Property(tries = 300)
  void epid_parseOfFormat_givesItBack(@ForAll("epids") Epid epid) {
    assertEquals(epid, Epid.parse(epid.format()));
    assertEquals(Optional.of(epid), Epid.tryParse(epid.toString()));
  }

  @Example
  void epid_protocolExample_parsesIntoItsParts() {
    Epid e = Epid.parse("03612-00206-556-123456-03-1033-17763.0000-2792018");
    assertEquals(
        new Epid(3612, 206, 556_123_456, 3, 1033, 17763, LocalDate.ofYearDay(2018, 279)), e);
    assertEquals("03612-00206-556-123456-03-1033-17763.0000-2792018", e.format());
  }

  @Example
  void epid_malformedOrImpossibleDay_isRejected() {
    assertEquals(Optional.empty(), Epid.tryParse("03612-00206-556-123456-03-1033-17763-2792018"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Epid.parse("03612-00206-556-123456-03-1033-17763.0000-3662019"));
    assertEquals(
        Optional.empty(), Epid.tryParse("０3612-00206-556-123456-03-1033-17763.0000-2792018"));
  }

  // ---------------------------------------------------------------- Guid (docs/PROTOCOL.md §1)

  @Property(tries = 300)
  void guid_fromWireOfToWire_givesItBack(
      @ForAll long most, @ForAll long least, @ForAll @IntRange(max = 16) int offset) {
    Guid g = new Guid(most, least);
    byte[] buf = new byte[32];
    g.toWire(buf, offset);
    assertEquals(g, Guid.fromWire(buf, offset));
    assertArrayEquals(g.toWire(), java.util.Arrays.copyOfRange(buf, offset, offset + 16));
    assertEquals(g, Guid.parse(g.toString()));
    assertEquals(g, Guid.of(g.toUuid()));
  }

  @Property(tries = 300)
  void guid_wireBytes_areTheUuidBytesWithTheFirstThreeGroupsReversed(
      @ForAll long most, @ForAll long least) {
    UUID uuid = new UUID(most, least);
    byte[] text = new byte[16];
    for (int i = 0; i < 8; i++) {
      text[i] = (byte) (most >>> (56 - 8 * i));
      text[8 + i] = (byte) (least >>> (56 - 8 * i));
    }
    byte[] expected = {
      text[3], text[2], text[1], text[0], text[5], text[4], text[7], text[6], text[8], text[9],
      text[10], text[11], text[12], text[13], text[14], text[15]
    };
    assertArrayEquals(expected, Guid.of(uuid).toWire());
  }

  @Example
  void guid_protocolExamples_haveTheDocumentedWireBytes() {
    assertEquals(
        "3427c95582d6714d983ed6ec3f16059f",
        HEX.formatHex(Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f").toWire()));
    assertEquals(
        "7521c8514e845047b0d8ec255555bc06",
        HEX.formatHex(Guid.parse("51c82175-844e-4750-b0d8-ec255555bc06").toWire()));
    assertEquals(
        "045d888aeb1cc9119fe808002b104860",
        HEX.formatHex(Guid.parse("8a885d04-1ceb-11c9-9fe8-08002b104860").toWire()));
    assertEquals(
        "33057171babe37498319b5dbef9ccc36",
        HEX.formatHex(Guid.parse("71710533-beba-4937-8319-b5dbef9ccc36").toWire()));
    assertEquals(
        Guid.parse("0ff1ce15-a989-479d-af46-f275c6370663"),
        Guid.fromWire(HEX.parseHex("15cef10f89a99d47af46f275c6370663"), 0));
    assertEquals(5, Guid.parse("4b83307d-7788-50ff-8d1f-1861915bdb9d").version());
  }

  // ---------------------------------------------------------------- Filetime (docs/PROTOCOL.md §1)

  @Property(tries = 300)
  void filetime_ofToInstant_givesItBack(@ForAll long value) {
    Filetime f = new Filetime(value);
    assertEquals(f, Filetime.of(f.toInstant()));
  }

  @Property(tries = 300)
  void filetime_toInstantOfInstant_truncatesTo100Nanoseconds(
      @ForAll @LongRange(min = -11_644_473_600L, max = 1_000_000_000_000L) long seconds,
      @ForAll @IntRange(max = 999_999_999) int nanos) {
    Instant instant = Instant.ofEpochSecond(seconds, nanos);
    assertEquals(
        Instant.ofEpochSecond(seconds, nanos / 100 * 100), Filetime.of(instant).toInstant());
  }

  @Example
  void filetime_knownValues_matchTheSpec() {
    assertEquals(
        Instant.parse("2026-11-23T04:18:47Z"), new Filetime(134398811270000000L).toInstant());
    assertEquals(0x01dd7b01bbfbad80L, Filetime.of(Instant.parse("2026-11-23T04:18:47Z")).value());
    assertEquals(Instant.EPOCH, new Filetime(116_444_736_000_000_000L).toInstant());
    assertEquals(Instant.parse("1601-01-01T00:00:00Z"), new Filetime(0).toInstant());
    assertThrows(
        IllegalArgumentException.class, () -> Filetime.of(Instant.parse("1600-12-31T23:59:59Z")));
    assertThrows(IllegalArgumentException.class, () -> Filetime.of(Instant.MAX));
  }

  // ---------------------------------------------------------------- ProtocolVersion
  // (docs/PROTOCOL.md
  // §5.1)

  @Property(tries = 300)
  void protocolVersion_fromWireOfToWire_givesItBack(
      @ForAll @IntRange(max = 0xffff) int major, @ForAll @IntRange(max = 0xffff) int minor) {
    ProtocolVersion v = new ProtocolVersion(major, minor);
    assertEquals(v, ProtocolVersion.fromWire(v.toWire()));
    assertEquals(v, ProtocolVersion.parse(v.toString()));
    assertEquals(minor == 0 && major >= 4 && major <= 6, v.isSupported());
  }

  @Example
  void protocolVersion_wireWord_isMinorThenMajor() {
    byte[] b = new byte[4];
    io.github.kmsj.protocol.internal.LittleEndian.putInt(b, 0, ProtocolVersion.V6.toWire());
    assertEquals("00000600", HEX.formatHex(b));
    assertEquals(new ProtocolVersion(6, 1), ProtocolVersion.fromWire(0x00060001));
    assertEquals(ProtocolVersion.V4, ProtocolVersion.fromWire(0x00040000));
    assertTrue(ProtocolVersion.V5.isSupported());
    assertFalse(new ProtocolVersion(7, 0).isSupported());
    assertThrows(IllegalArgumentException.class, () -> new ProtocolVersion(0x10000, 0));
  }
}
