package io.github.kmsj.protocol.ndr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.LimitExceededException;
import io.github.kmsj.protocol.MalformedPduException;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.testing.Mutations;
import java.util.HexFormat;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** NDR32/NDR64 stubs of RequestActivation (docs/PROTOCOL.md §4). */
final class KmsStubCodecProperties {
  private static final HexFormat HEX = HexFormat.of();

  @Provide
  Arbitrary<byte[]> messages() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
  }

  @Property(tries = 300)
  void request_decodeOfEncode_givesTheMessageBack(
      @ForAll TransferSyntax syntax, @ForAll("messages") byte[] message) {
    byte[] stub = KmsStubCodec.encodeRequest(syntax, message);
    assertEquals((syntax == TransferSyntax.NDR32 ? 8 : 16) + message.length, stub.length);
    assertArrayEquals(message, KmsStubCodec.decodeRequest(syntax, stub, 4096));
  }

  @Property(tries = 300)
  void request_extraBytesAfterTheArray_areTolerated(
      @ForAll TransferSyntax syntax,
      @ForAll("messages") byte[] message,
      @ForAll("messages") byte[] extra) {
    byte[] stub = KmsStubCodec.encodeRequest(syntax, message);
    byte[] longer = java.util.Arrays.copyOf(stub, stub.length + extra.length);
    System.arraycopy(extra, 0, longer, stub.length, extra.length);
    assertArrayEquals(message, KmsStubCodec.decodeRequest(syntax, longer, 4096));
  }

  @Property(tries = 300)
  void response_decodeOfEncode_givesTheMessageAndSuccessBack(
      @ForAll TransferSyntax syntax, @ForAll("messages") byte[] message) {
    byte[] stub = KmsStubCodec.encodeResponse(syntax, message);
    int pad = (4 - message.length % 4) % 4;
    assertEquals((syntax == TransferSyntax.NDR32 ? 16 : 28) + message.length + pad, stub.length);
    assertEquals(
        new StubResponse(Optional.of(Bytes.of(message)), HResult.S_OK),
        KmsStubCodec.decodeResponse(syntax, stub));
  }

  @Property(tries = 300)
  void failure_decodeOfEncode_givesTheHresultBack(
      @ForAll TransferSyntax syntax, @ForAll int hresult) {
    byte[] stub = KmsStubCodec.encodeFailure(syntax, HResult.of(hresult));
    assertEquals(syntax == TransferSyntax.NDR32 ? 12 : 20, stub.length);
    assertEquals(
        new StubResponse(Optional.empty(), HResult.of(hresult)),
        KmsStubCodec.decodeResponse(syntax, stub));
  }

  @Example
  void failure_invalidData_hasTheDocumentedBytes() {
    assertEquals(
        "00000000000000000d000780",
        HEX.formatHex(KmsStubCodec.encodeFailure(TransferSyntax.NDR32, HResult.INVALID_DATA)));
    assertEquals(
        "00000000000000000000000000000000" + "0d000780",
        HEX.formatHex(KmsStubCodec.encodeFailure(TransferSyntax.NDR64, HResult.INVALID_DATA)));
  }

  @Example
  void response_hresultAfterPadding_isReadAtTheAlignedPosition() {
    byte[] message = new byte[158];
    byte[] stub = KmsStubCodec.encodeResponse(TransferSyntax.NDR32, message);
    assertEquals(176, stub.length);
    stub[12 + 158] = 0x55; // a non-zero pad byte is not the HRESULT
    stub[172] = 0x0d;
    assertEquals(
        HResult.of(0x0d), KmsStubCodec.decodeResponse(TransferSyntax.NDR32, stub).hresult());
  }

  @Example
  void request_differentLengthsOrTooLarge_isRejected() {
    byte[] stub = KmsStubCodec.encodeRequest(TransferSyntax.NDR32, new byte[260]);
    stub[4] = 0x03;
    assertThrows(
        MalformedPduException.class,
        () -> KmsStubCodec.decodeRequest(TransferSyntax.NDR32, stub, 4096));
    byte[] big = KmsStubCodec.encodeRequest(TransferSyntax.NDR64, new byte[300]);
    assertThrows(
        LimitExceededException.class,
        () -> KmsStubCodec.decodeRequest(TransferSyntax.NDR64, big, 299));
    byte[] shortStub =
        java.util.Arrays.copyOf(
            KmsStubCodec.encodeRequest(TransferSyntax.NDR32, new byte[260]), 100);
    assertThrows(
        MalformedPduException.class,
        () -> KmsStubCodec.decodeRequest(TransferSyntax.NDR32, shortStub, 4096));
  }

  @Provide
  Arbitrary<byte[]> stubNoise() {
    Arbitrary<byte[]> valid =
        Arbitraries.oneOf(
            messages().map(m -> KmsStubCodec.encodeRequest(TransferSyntax.NDR32, m)),
            messages().map(m -> KmsStubCodec.encodeRequest(TransferSyntax.NDR64, m)),
            messages().map(m -> KmsStubCodec.encodeResponse(TransferSyntax.NDR32, m)),
            messages().map(m -> KmsStubCodec.encodeResponse(TransferSyntax.NDR64, m)));
    return Arbitraries.oneOf(Mutations.noise(400), Mutations.of(valid));
  }

  @Property(tries = 800)
  void decode_randomOrMutatedStub_failsOnlyWithOurException(
      @ForAll TransferSyntax syntax, @ForAll("stubNoise") byte[] stub) {
    try {
      KmsStubCodec.decodeRequest(syntax, stub, 4096);
    } catch (KmsProtocolException expected) {
      // the only failure allowed
    }
    try {
      KmsStubCodec.decodeResponse(syntax, stub);
    } catch (KmsProtocolException expected) {
      // the only failure allowed
    }
  }
}
