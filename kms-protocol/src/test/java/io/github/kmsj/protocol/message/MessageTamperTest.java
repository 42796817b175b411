package io.github.kmsj.protocol.message;

import static io.github.kmsj.protocol.message.MessageFixtures.answer;
import static io.github.kmsj.protocol.message.MessageFixtures.baseRequest;
import static io.github.kmsj.protocol.message.MessageFixtures.request;
import static io.github.kmsj.protocol.message.MessageFixtures.respond;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.IntegrityCheck;
import io.github.kmsj.protocol.IntegrityException;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.crypto.KmsCipher;
import io.github.kmsj.protocol.crypto.KmsHashes;
import io.github.kmsj.protocol.internal.LittleEndian;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every integrity check of docs/PROTOCOL.md §6.8 fails exactly when its field is tampered with. */
final class MessageTamperTest {
  private static final int EPID_SIZE = 100;

  /** Offsets in the V5/V6 plaintext (docs/PROTOCOL.md §5.6, §5.7) for a 100-byte ePID field. */
  private static final int RANDOM_XOR = 44 + EPID_SIZE;

  private static final int HASH = RANDOM_XOR + 16;
  private static final int HWID = HASH + 32;
  private static final int XOR_SALTS = HWID + 8;
  private static final int HMAC = XOR_SALTS + 16;

  private static EncodedRequest sent(ProtocolVersion v) {
    return KmsClientCodec.encodeRequest(request(v));
  }

  private static List<IntegrityCheck> failed(EncodedRequest sent, byte[] response) {
    return KmsClientCodec.decodeResponse(sent, response).failedChecks();
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 6})
  void response_untouched_verifies(int major) {
    EncodedRequest sent = sent(new ProtocolVersion(major, 0));
    BaseResponse base = answer(baseRequest(new ProtocolVersion(major, 0)));
    VerifiedResponse vr = KmsClientCodec.decodeResponse(sent, respond(sent, base));
    assertEquals(List.of(), vr.failedChecks());
    assertEquals(base, vr.orThrow().base());
  }

  @Test
  void v4Request_hashByteFlipped_failsV4Hash() {
    byte[] bytes = sent(ProtocolVersion.V4).bytes();
    assertEquals(Optional.empty(), KmsHostCodec.decodeRequest(bytes).failedCheck());
    bytes[240] ^= 0x01;
    DecodedRequest decoded = KmsHostCodec.decodeRequest(bytes);
    assertEquals(Optional.of(IntegrityCheck.V4_HASH), decoded.failedCheck());
    assertFalse(decoded.isAnswerable());
  }

  @Test
  void v4Request_baseByteFlipped_failsV4Hash() {
    byte[] bytes = sent(ProtocolVersion.V4).bytes();
    bytes[100] ^= 0x40;
    assertEquals(
        Optional.of(IntegrityCheck.V4_HASH), KmsHostCodec.decodeRequest(bytes).failedCheck());
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 6})
  void encryptedRequest_paddingChanged_failsPadding(int major) {
    KmsCipher cipher = major == 5 ? KmsCipher.V5 : KmsCipher.V6;
    byte[] bytes = sent(new ProtocolVersion(major, 0)).bytes();
    byte[] plain = Arrays.copyOfRange(bytes, 20, 260);
    cipher.cbcDecrypt(bytes, 4, plain, 0, 240);
    plain[239] = 0x05;
    cipher.cbcEncrypt(bytes, 4, plain, 0, 240);
    System.arraycopy(plain, 0, bytes, 20, 240);
    assertEquals(
        Optional.of(IntegrityCheck.PADDING), KmsHostCodec.decodeRequest(bytes).failedCheck());
  }

  @Test
  void v4Response_hashFlipped_listsV4Hash() {
    EncodedRequest sent = sent(ProtocolVersion.V4);
    byte[] response = respond(sent, answer(baseRequest(ProtocolVersion.V4)));
    response[response.length - 1] ^= 0x01;
    VerifiedResponse vr = KmsClientCodec.decodeResponse(sent, response);
    assertEquals(List.of(IntegrityCheck.V4_HASH), vr.failedChecks());
    IntegrityException e = assertThrows(IntegrityException.class, vr::orThrow);
    assertEquals(IntegrityCheck.V4_HASH, e.check());
  }

  @Test
  void v4Response_trailingByte_failsLength() {
    EncodedRequest sent = sent(ProtocolVersion.V4);
    byte[] response = respond(sent, answer(baseRequest(ProtocolVersion.V4)));
    assertEquals(
        List.of(IntegrityCheck.LENGTH), failed(sent, Arrays.copyOf(response, response.length + 1)));
  }

  /**
   * Decrypts a V5/V6 response, lets {@code change} edit the plaintext, recomputes the V6 HMAC when
   * asked (so that only the edited field is wrong) and encrypts again under {@code newSalt} (or the
   * same salt).
   */
  private static byte[] reencrypt(
      byte[] response, int major, Consumer<byte[]> change, boolean fixHmac, byte[] newSalt) {
    KmsCipher cipher = major == 5 ? KmsCipher.V5 : KmsCipher.V6;
    byte[] salt = Arrays.copyOfRange(response, 4, 20);
    byte[] plain = Arrays.copyOfRange(response, 20, response.length);
    cipher.cbcDecrypt(salt, 0, plain, 0, plain.length);
    change.accept(plain);
    byte[] outSalt = newSalt == null ? salt : newSalt;
    if (fixHmac) {
      byte[] dSalt = new byte[16];
      cipher.decryptBlock(outSalt, 0, dSalt, 0);
      byte[] key = KmsHashes.v6HmacKey(MessageFixtures.TIME.value());
      System.arraycopy(KmsHashes.v6Hmac(key, dSalt, plain, 0, HMAC), 0, plain, HMAC, 16);
    }
    cipher.cbcEncrypt(outSalt, 0, plain, 0, plain.length);
    byte[] out = response.clone();
    System.arraycopy(outSalt, 0, out, 4, 16);
    System.arraycopy(plain, 0, out, 20, plain.length);
    return out;
  }

  private static byte[] response(int major) {
    return respond(
        sent(new ProtocolVersion(major, 0)), answer(baseRequest(new ProtocolVersion(major, 0))));
  }

  @Test
  void v5Response_reencryptedUnchanged_stillVerifies() {
    byte[] same = reencrypt(response(5), 5, p -> {}, false, null);
    assertEquals(List.of(), failed(sent(ProtocolVersion.V5), same));
  }

  @Test
  void v5Response_hashFieldChanged_failsResponseHashOnly() {
    byte[] tampered = reencrypt(response(5), 5, p -> p[HASH + 3] ^= 0x10, false, null);
    assertEquals(List.of(IntegrityCheck.RESPONSE_HASH), failed(sent(ProtocolVersion.V5), tampered));
  }

  @Test
  void v5Response_randomXorChanged_failsResponseHashOnly() {
    byte[] tampered = reencrypt(response(5), 5, p -> p[RANDOM_XOR] ^= 0x01, false, null);
    assertEquals(List.of(IntegrityCheck.RESPONSE_HASH), failed(sent(ProtocolVersion.V5), tampered));
  }

  @Test
  void v6Response_hashFieldChangedWithValidHmac_failsResponseHashOnly() {
    byte[] tampered = reencrypt(response(6), 6, p -> p[HASH] ^= 0x01, true, null);
    assertEquals(List.of(IntegrityCheck.RESPONSE_HASH), failed(sent(ProtocolVersion.V6), tampered));
  }

  @Test
  void v6Response_hmacChanged_failsV6HmacOnly() {
    byte[] tampered = reencrypt(response(6), 6, p -> p[HMAC + 15] ^= 0x01, false, null);
    assertEquals(List.of(IntegrityCheck.V6_HMAC), failed(sent(ProtocolVersion.V6), tampered));
  }

  @Test
  void v6Response_hwidChangedWithoutNewHmac_failsV6HmacOnly() {
    byte[] tampered = reencrypt(response(6), 6, p -> p[HWID] ^= 0x01, false, null);
    assertEquals(List.of(IntegrityCheck.V6_HMAC), failed(sent(ProtocolVersion.V6), tampered));
  }

  @Test
  void v6Response_xorSaltsChangedWithValidHmac_failsXorSaltsOnly() {
    byte[] tampered = reencrypt(response(6), 6, p -> p[XOR_SALTS + 7] ^= 0x01, true, null);
    assertEquals(List.of(IntegrityCheck.XOR_SALTS), failed(sent(ProtocolVersion.V6), tampered));
  }

  @Test
  void v5Response_saltDiffersFromRequestSalt_failsSaltOnly() {
    byte[] other = MessageFixtures.SALT.toArray();
    other[0] ^= 0x01;
    byte[] tampered = reencrypt(response(5), 5, p -> {}, false, other);
    assertEquals(List.of(IntegrityCheck.SALT), failed(sent(ProtocolVersion.V5), tampered));
  }

  @Test
  void v6Response_saltEqualsRequestSalt_failsSaltOnly() {
    byte[] tampered = reencrypt(response(6), 6, p -> {}, true, MessageFixtures.SALT.toArray());
    assertEquals(List.of(IntegrityCheck.SALT), failed(sent(ProtocolVersion.V6), tampered));
  }

  @Test
  void v6Host_responseSaltEqualToRequestSalt_isRefused() {
    EncodedRequest sent = sent(ProtocolVersion.V6);
    ResponseRandom same = new ResponseRandom(MessageFixtures.RANDOM.random(), MessageFixtures.SALT);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            KmsHostCodec.encodeResponse(
                KmsHostCodec.decodeRequest(sent.bytes()),
                answer(baseRequest(ProtocolVersion.V6)),
                same,
                MessageFixtures.HWID));
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 6})
  void encryptedResponse_paddingBroken_failsPadding(int major) {
    byte[] tampered = reencrypt(response(major), major, p -> p[p.length - 1] = 0x11, false, null);
    assertTrue(
        failed(sent(new ProtocolVersion(major, 0)), tampered).contains(IntegrityCheck.PADDING));
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 6})
  void response_otherCmid_failsCmidEchoOnly(int major) {
    ProtocolVersion v = new ProtocolVersion(major, 0);
    EncodedRequest sent = sent(v);
    BaseResponse a = answer(baseRequest(v));
    BaseResponse wrong = new BaseResponse(v, a.ePid(), Guid.ZERO, a.requestTime(), 50, 120, 10080);
    assertEquals(List.of(IntegrityCheck.CMID_ECHO), failed(sent, respond(sent, wrong)));
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 6})
  void response_otherTimeInTheSameHmacSlot_failsTimeEchoOnly(int major) {
    ProtocolVersion v = new ProtocolVersion(major, 0);
    EncodedRequest sent = sent(v);
    BaseResponse a = answer(baseRequest(v));
    BaseResponse wrong =
        new BaseResponse(
            v, a.ePid(), a.cmid(), new Filetime(a.requestTime().value() + 1), 50, 120, 10080);
    assertEquals(List.of(IntegrityCheck.TIME_ECHO), failed(sent, respond(sent, wrong)));
  }

  @Test
  void v6Response_timeInAnotherHmacSlot_failsHmacAndTimeEcho() {
    EncodedRequest sent = sent(ProtocolVersion.V6);
    BaseResponse a = answer(baseRequest(ProtocolVersion.V6));
    BaseResponse wrong =
        new BaseResponse(
            ProtocolVersion.V6,
            a.ePid(),
            a.cmid(),
            new Filetime(a.requestTime().value() + 0x22816889BDL),
            50,
            120,
            10080);
    assertEquals(
        List.of(IntegrityCheck.V6_HMAC, IntegrityCheck.TIME_ECHO),
        failed(sent, respond(sent, wrong)));
  }

  @Test
  void v4Response_otherInnerVersion_failsVersionEchoOnly() {
    EncodedRequest sent = sent(ProtocolVersion.V4);
    BaseResponse a = answer(baseRequest(ProtocolVersion.V4));
    BaseResponse v5 =
        new BaseResponse(ProtocolVersion.V5, a.ePid(), a.cmid(), a.requestTime(), 50, 120, 10080);
    assertEquals(List.of(IntegrityCheck.VERSION_ECHO), failed(sent, KmsHostCodec.encodeV4(v5)));
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 6})
  void encryptedResponse_otherOuterVersion_failsVersionEchoOnly(int major) {
    byte[] response = response(major);
    LittleEndian.putInt(response, 0, new ProtocolVersion(major, 1).toWire());
    assertEquals(
        List.of(IntegrityCheck.VERSION_ECHO),
        failed(sent(new ProtocolVersion(major, 0)), response));
  }

  /**
   * Flipping any bit pattern at any byte of a response never yields a verified response with
   * changed authenticated content. V4 (hash over the base) and V6 (HMAC over everything) detect
   * every flip. V5 authenticates nothing of the base response but the echoes (docs/PROTOCOL.md
   * §5.6: hash = SHA-256(R) only), so a flip that lands in the ePID, the count or the intervals can
   * decode as "verified"; the test then asserts that everything V5 does protect is unchanged.
   */
  @ParameterizedTest
  @ValueSource(ints = {4, 5, 6})
  void response_anyByteFlipped_neverVerifiesChangedAuthenticatedContent(int major) {
    EncodedRequest sent = sent(new ProtocolVersion(major, 0));
    byte[] response = response(major);
    KmsResponse original = KmsClientCodec.decodeResponse(sent, response).orThrow();
    int checked = 0;
    int v5Undetected = 0;
    for (int i = 0; i < response.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xff}) {
        byte[] tampered = response.clone();
        tampered[i] ^= (byte) mask;
        try {
          VerifiedResponse vr = KmsClientCodec.decodeResponse(sent, tampered);
          if (major != 5) {
            assertFalse(vr.isVerified(), "byte " + i + " ^ " + mask + " verified");
          } else if (vr.isVerified()) {
            ResponseV5 got = (ResponseV5) vr.response();
            ResponseV5 was = (ResponseV5) original;
            assertEquals(was.salt(), got.salt(), "byte " + i);
            assertEquals(was.randomXor(), got.randomXor(), "byte " + i);
            assertEquals(was.hash(), got.hash(), "byte " + i);
            assertEquals(was.base().version(), got.base().version(), "byte " + i);
            assertEquals(was.base().cmid(), got.base().cmid(), "byte " + i);
            assertEquals(was.base().requestTime(), got.base().requestTime(), "byte " + i);
            assertTrue(
                i >= 20 + 16 && i < 20 + RANDOM_XOR,
                "byte " + i + " lies in the unauthenticated base");
            v5Undetected++;
          }
        } catch (KmsProtocolException expected) {
          // undecodable is fine; only a verified response would be wrong
        }
        checked++;
      }
    }
    assertEquals(3 * response.length, checked);
    if (major == 5) {
      assertTrue(
          v5Undetected > 0,
          "V5's unauthenticated base is a property of the protocol, not of a bug");
    }
  }
}
