package io.github.kmsj.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * The V6 exchange of docs/PROTOCOL.md §12 (vector {@code vlmcsd/v6-ndr32-nobtfn}), run through
 * every primitive.
 */
final class WorkedExampleTest {
  private static final byte[] REQUEST =
      Hex.decode(
          ""
              + "000006004fc62f80a81463955277e92dee6cb9ebd2a5da229d53da48062a65b9"
              + "5edab60bd45f6c2f5839455eebe0712b58ae26a7a6aadd276f425ffee2228ba6"
              + "c94ca48914754d584c31ac3692a2024c385ea0142b2f6134fc24b65eb16b0bdc"
              + "fd5982d13eec4f28ad1090608d69460a6ce32c0ffa0b81c2bcf7b5ed335654a0"
              + "20ccfbc8bf36bbe4c56855c061c9c30bddfad995450b03d90facfa326b0e784a"
              + "651bc1d1725fb12b978229b0fef8adaffcedde0d5b1a971d930d2ff63e021dfb"
              + "c6a716fe845466519c7235dcccd055609218fea485fa1f6516fdf32c906fa3f8"
              + "f59fe35bcdf679f083510933f66d37c8f7a649f2e524378351c5ea89791c035c"
              + "52d4d3cf");
  private static final byte[] REQUEST_PLAINTEXT =
      Hex.decode(
          ""
              + "000006000000000002000000c0a800003427c95582d6714d983ed6ec3f16059f"
              + "9273e62da7b72a46b1ca108dd189f5884f13e258118e174d9cb291069c151148"
              + "3b2a1c6f5e4d604f8a7b0c1d2e3f06041900000080adfbbb017bdd0100000000"
              + "0000000000000000000000006b006d0073006a002d007600360064002e006500"
              + "780061006d0070006c0065002e00740065007300740000000000000000000000"
              + "0000000000000000000000000000000000000000000000000000000000000000"
              + "0000000000000000000000000000000000000000000000000000000000000000"
              + "00000000000000000000000004040404");
  private static final byte[] RESPONSE =
      Hex.decode(
          ""
              + "00000600d7afdc584a6d5ec932c73398346ef1f83314af1b2b093789665c2f43"
              + "48f2e6635ca6406efeef52b1b935e8e22cf34dadc8eb278544b017f490bea32e"
              + "66acfe001e299b104adbf9e272c309a039cd963faeace96a9f61dddd736fc493"
              + "d9d04deace110933f79736a543272b511a59608150a6a94f4670049caeeb92c0"
              + "5f923df821e03d9c27850bcc22963ec320485d90d54d39c3784461997c6cffec"
              + "ba7f9d5d310cf1c7e5b22003ac143d600fcf92d4afde69335d7918ee1da5c194"
              + "8078176d7609ddda743bba36f138a66a12be16883403ff3625ce8bff5e747e4d"
              + "2f8e6cdc13ab1ed06d20a1ede43b98e79c90cf085c47410a03aa1948eb996bd3"
              + "7dc4f422");
  private static final byte[] RESPONSE_PLAINTEXT =
      Hex.decode(
          ""
              + "0000060064000000300033003600310032002d00300030003200300036002d00"
              + "3500350036002d003100320033003400350036002d00300033002d0031003000"
              + "330033002d00310037003700360033002e0030003000300030002d0032003700"
              + "3900320030003100380000003b2a1c6f5e4d604f8a7b0c1d2e3f060480adfbbb"
              + "017bdd013200000078000000602700008fb6d1c64c00b120965385c983923f80"
              + "33d2428285391137ab9784ed42b9fd9960536bf4b6be26424ce003b846beaa4a"
              + "364f463a8863d35f45399cff745b900f96006e91c07d3a2b57cdce8d3218d894"
              + "339798283a53b8e80808080808080808");
  private static final long REQUEST_TIME = 0x01dd7b01bbfbad80L;

  @Test
  void v6Request_cbcDecrypt_givesBaseRequestWithPadding() {
    byte[] buf = REQUEST.clone();
    KmsCipher.V6.cbcDecrypt(REQUEST, 4, buf, 20, 240);
    byte[] plain = Arrays.copyOfRange(buf, 20, 260);
    assertArrayEquals(REQUEST_PLAINTEXT, plain);
    assertEquals(236, Pkcs7.unpaddedLength(plain, 0, plain.length));
  }

  @Test
  void v6Request_decryptSalt_givesXorSalts() {
    byte[] out = new byte[16];
    KmsCipher.V6.decryptBlock(REQUEST, 4, out, 0);
    assertEquals("45399cff745b900f96006e91c07d3a2b", Hex.toHexString(out));
  }

  @Test
  void v6Response_cbcDecrypt_givesPlaintextAndCbcEncryptRestoresIt() {
    byte[] buf = RESPONSE.clone();
    KmsCipher.V6.cbcDecrypt(RESPONSE, 4, buf, 20, 240);
    assertArrayEquals(RESPONSE_PLAINTEXT, Arrays.copyOfRange(buf, 20, 260));
    assertEquals(232, Pkcs7.unpaddedLength(buf, 20, 240));

    KmsCipher.V6.cbcEncrypt(RESPONSE, 4, buf, 20, 240);
    assertArrayEquals(RESPONSE, buf);
  }

  @Test
  void v6Response_hashField_isSha256OfRandomXorAndDecryptedRequestSalt() {
    byte[] decryptedRequestSalt = new byte[16];
    KmsCipher.V6.decryptBlock(REQUEST, 4, decryptedRequestSalt, 0);
    byte[] r = Arrays.copyOfRange(RESPONSE_PLAINTEXT, 144, 160);
    for (int i = 0; i < 16; i++) {
      r[i] ^= decryptedRequestSalt[i];
    }
    assertEquals("ca8f4d39385b212f0053eb5843ef05ab", Hex.toHexString(r));
    assertArrayEquals(
        Arrays.copyOfRange(RESPONSE_PLAINTEXT, 160, 192), KmsHashes.sha256(r, 0, r.length));
  }

  @Test
  void v6Response_hmacField_matchesHmacOverDecryptedSaltAndPlaintext() {
    byte[] key = KmsHashes.v6HmacKey(REQUEST_TIME);
    assertEquals("9842edb8769bc627a087d8ab99a56d8c", Hex.toHexString(key));

    byte[] decryptedResponseSalt = new byte[16];
    KmsCipher.V6.decryptBlock(RESPONSE, 4, decryptedResponseSalt, 0);
    assertEquals("e3e1ca4b784a896e66806ef32bb3f7eb", Hex.toHexString(decryptedResponseSalt));

    byte[] hmac = KmsHashes.v6Hmac(key, decryptedResponseSalt, RESPONSE_PLAINTEXT, 0, 216);
    assertArrayEquals(Arrays.copyOfRange(RESPONSE_PLAINTEXT, 216, 232), hmac);
  }

  @Test
  void v6HmacSlot_workedExampleTime_isSlot906874() {
    assertEquals(906874L, Long.divideUnsigned(REQUEST_TIME, 0x22816889BDL));
    assertEquals(0x331937fd2840186cL, KmsHashes.v6HmacSlot(REQUEST_TIME));
  }
}
