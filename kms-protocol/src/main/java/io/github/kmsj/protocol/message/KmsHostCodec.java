package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.IntegrityCheck;
import io.github.kmsj.protocol.MalformedPduException;
import io.github.kmsj.protocol.crypto.KmsCipher;
import io.github.kmsj.protocol.crypto.KmsHashes;
import io.github.kmsj.protocol.crypto.Pkcs7;
import io.github.kmsj.protocol.crypto.V4Hash;
import io.github.kmsj.protocol.internal.LittleEndian;
import io.github.kmsj.protocol.internal.WireReader;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The host side of the KMS message codec: decodes and verifies a request, encodes a response
 * (docs/PROTOCOL.md §5, §6.7). Pure and thread-safe.
 */
public final class KmsHostCodec {
  /** Length of a V4 request: base request and hash. */
  static final int V4_REQUEST_SIZE = BaseRequest.SIZE + 16;

  /** Length of a V5/V6 request: version, salt and 240 encrypted bytes. */
  static final int V56_REQUEST_SIZE = 4 + 16 + 240;

  private KmsHostCodec() {}

  /**
   * Decodes a KMS request message; an unknown version gives an {@link UnsupportedRequest} and a
   * failed hash or padding is reported in {@link DecodedRequest#failedCheck()}.
   *
   * @throws MalformedPduException when a known version's message is too short to hold its fields
   */
  public static DecodedRequest decodeRequest(byte[] message) {
    Objects.requireNonNull(message, "message");
    WireReader r = new WireReader(message, "KMS request");
    ProtocolVersion version = ProtocolVersion.fromWire(r.u32("version"));
    if (!version.isSupported()) {
      return new DecodedRequest(new UnsupportedRequest(version, Bytes.of(message)), null, null);
    }
    if (version.major() == 4) {
      return decodeV4(message, r);
    }
    return decodeEncrypted(message, version, r);
  }

  private static DecodedRequest decodeV4(byte[] message, WireReader r) {
    r.require(V4_REQUEST_SIZE - 4, "hash");
    r.position(0, "version");
    BaseRequest base = BaseCodec.readRequest(r);
    byte[] expected = V4Hash.compute(message, 0, BaseRequest.SIZE);
    byte[] actual = Arrays.copyOfRange(message, BaseRequest.SIZE, V4_REQUEST_SIZE);
    IntegrityCheck failed = MessageDigest.isEqual(expected, actual) ? null : IntegrityCheck.V4_HASH;
    return new DecodedRequest(new RequestV4(base), failed, null);
  }

  private static DecodedRequest decodeEncrypted(
      byte[] message, ProtocolVersion version, WireReader r) {
    r.require(V56_REQUEST_SIZE - 4, "encrypted request");
    KmsCipher cipher = version.major() == 5 ? KmsCipher.V5 : KmsCipher.V6;
    byte[] salt = Arrays.copyOfRange(message, 4, 20);
    byte[] plain = Arrays.copyOfRange(message, 20, V56_REQUEST_SIZE);
    cipher.cbcDecrypt(salt, 0, plain, 0, plain.length);
    int unpadded = Pkcs7.unpaddedLength(plain, 0, plain.length);
    IntegrityCheck failed = unpadded == BaseRequest.SIZE ? null : IntegrityCheck.PADDING;
    BaseRequest base = BaseCodec.readRequest(new WireReader(plain, "decrypted base request"));
    if (failed == null && !base.version().equals(version)) {
      failed = IntegrityCheck.VERSION_ECHO;
    }
    byte[] dSalt = new byte[16];
    cipher.decryptBlock(salt, 0, dSalt, 0);
    KmsRequest request =
        version.major() == 5
            ? new RequestV5(withVersion(base, version), Bytes.of(salt))
            : new RequestV6(withVersion(base, version), Bytes.of(salt));
    return new DecodedRequest(request, failed, dSalt);
  }

  /**
   * A garbled inner version must not make the record constructor throw; the check above reports it.
   */
  private static BaseRequest withVersion(BaseRequest b, ProtocolVersion v) {
    if (b.version().major() == v.major()) {
      return b;
    }
    return new BaseRequest(
        v,
        b.isClientVm(),
        b.licenseStatus(),
        b.bindingExpiration(),
        b.applicationId(),
        b.skuId(),
        b.kmsCountedId(),
        b.cmid(),
        b.requiredClientCount(),
        b.requestTime(),
        b.previousCmid(),
        b.workstationName());
  }

  /**
   * Encodes the response to a decoded request.
   *
   * @param request the request being answered; must be answerable
   * @param base the base response (its version must be the request's)
   * @param random R and the V6 response salt; unused for V4
   * @param hwid the host's 8-byte hardware ID; used by V6 only
   */
  public static byte[] encodeResponse(
      DecodedRequest request, BaseResponse base, ResponseRandom random, Bytes hwid) {
    KmsRequest q = request.request();
    if (q instanceof UnsupportedRequest) {
      throw new IllegalArgumentException(
          "an unsupported version is answered with a failure stub, not a response");
    }
    if (!base.version().equals(q.version())) {
      throw new IllegalArgumentException(
          "response version " + base.version() + " must echo the request's " + q.version());
    }
    if (q instanceof RequestV4) {
      return encodeV4(base);
    }
    if (q instanceof RequestV5 v5) {
      return encodeV5(base, v5.salt(), request.decryptedSalt(), random);
    }
    RequestV6 v6 = (RequestV6) q;
    if (hwid.length() != 8) {
      throw new IllegalArgumentException("hwid must be 8 bytes: " + hwid.length());
    }
    if (random.responseSalt().equals(v6.salt())) {
      throw new IllegalArgumentException("a V6 response salt must differ from the request salt");
    }
    return encodeV6(base, request.decryptedSalt(), random, hwid);
  }

  static byte[] encodeV4(BaseResponse base) {
    int size = base.size();
    byte[] out = new byte[size + 16];
    BaseCodec.writeResponse(base, out, 0);
    byte[] hash = V4Hash.compute(out, 0, size);
    System.arraycopy(hash, 0, out, size, 16);
    return out;
  }

  private static byte[] encodeV5(
      BaseResponse base, Bytes salt, byte[] dSalt, ResponseRandom random) {
    int plainLength = base.size() + 48;
    int padded = Pkcs7.paddedLength(plainLength);
    byte[] out = new byte[20 + padded];
    LittleEndian.putInt(out, 0, base.version().toWire());
    salt.copyTo(out, 4);
    int p = BaseCodec.writeResponse(base, out, 20);
    p = writeRandomAndHash(out, p, random.random(), dSalt);
    Pkcs7.pad(out, 20, plainLength);
    KmsCipher.V5.cbcEncrypt(out, 4, out, 20, padded);
    return out;
  }

  private static byte[] encodeV6(
      BaseResponse base, byte[] dSalt, ResponseRandom random, Bytes hwid) {
    int plainLength = base.size() + 88;
    int padded = Pkcs7.paddedLength(plainLength);
    byte[] out = new byte[20 + padded];
    LittleEndian.putInt(out, 0, base.version().toWire());
    random.responseSalt().copyTo(out, 4);
    int p = BaseCodec.writeResponse(base, out, 20);
    p = writeRandomAndHash(out, p, random.random(), dSalt);
    hwid.copyTo(out, p);
    System.arraycopy(dSalt, 0, out, p + 8, 16);
    p += 24;
    byte[] dResponseSalt = new byte[16];
    KmsCipher.V6.decryptBlock(out, 4, dResponseSalt, 0);
    byte[] key = KmsHashes.v6HmacKey(base.requestTime().value());
    byte[] hmac = KmsHashes.v6Hmac(key, dResponseSalt, out, 20, p - 20);
    System.arraycopy(hmac, 0, out, p, 16);
    Pkcs7.pad(out, 20, plainLength);
    KmsCipher.V6.cbcEncrypt(out, 4, out, 20, padded);
    return out;
  }

  /** randomXor = R ⊕ D(requestSalt), then SHA-256(R); returns the offset after them. */
  private static int writeRandomAndHash(byte[] out, int p, Bytes random, byte[] dSalt) {
    byte[] r = random.toArray();
    for (int i = 0; i < 16; i++) {
      out[p + i] = (byte) (r[i] ^ dSalt[i]);
    }
    byte[] hash = KmsHashes.sha256(r, 0, 16);
    System.arraycopy(hash, 0, out, p + 16, 32);
    return p + 48;
  }
}
