package io.github.kmsj.protocol.crypto;

/**
 * The AES/Rijndael lookup tables (FIPS 197 §5): the S-box, its inverse, and the round tables that
 * fuse SubBytes, ShiftRows and MixColumns (or their inverses) into one lookup per byte.
 *
 * <p>Words are big-endian: the byte of state row 0 is the most significant. {@code TE0[x]} is the
 * column {@code S[x]·(02, 01, 01, 03)}; {@code TD0[x]} is {@code Si[x]·(0e, 09, 0d, 0b)}; tables
 * 1-3 are the same words rotated right by 8, 16 and 24 bits. The tables are computed once, when the
 * class loads, and never written again.
 */
final class AesTables {
  static final int[] SBOX = new int[256];
  static final int[] INV_SBOX = new int[256];
  static final int[] TE0 = new int[256];
  static final int[] TE1 = new int[256];
  static final int[] TE2 = new int[256];
  static final int[] TE3 = new int[256];
  static final int[] TD0 = new int[256];
  static final int[] TD1 = new int[256];
  static final int[] TD2 = new int[256];
  static final int[] TD3 = new int[256];

  static {
    // Powers and logarithms of the generator 03 in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.
    int[] exp = new int[255];
    int[] log = new int[256];
    int p = 1;
    for (int i = 0; i < 255; i++) {
      exp[i] = p;
      log[p] = i;
      p ^= xtime(p);
    }
    for (int x = 0; x < 256; x++) {
      int inv = x == 0 ? 0 : exp[(255 - log[x]) % 255];
      int s = affine(inv);
      SBOX[x] = s;
      INV_SBOX[s] = x;
    }
    for (int x = 0; x < 256; x++) {
      int s = SBOX[x];
      int te = mul(s, 2) << 24 | s << 16 | s << 8 | mul(s, 3);
      TE0[x] = te;
      TE1[x] = Integer.rotateRight(te, 8);
      TE2[x] = Integer.rotateRight(te, 16);
      TE3[x] = Integer.rotateRight(te, 24);
      int si = INV_SBOX[x];
      int td = mul(si, 0x0e) << 24 | mul(si, 0x09) << 16 | mul(si, 0x0d) << 8 | mul(si, 0x0b);
      TD0[x] = td;
      TD1[x] = Integer.rotateRight(td, 8);
      TD2[x] = Integer.rotateRight(td, 16);
      TD3[x] = Integer.rotateRight(td, 24);
    }
  }

  private AesTables() {}

  /** SubWord: the S-box applied to each byte of a word. */
  static int subWord(int w) {
    return SBOX[w >>> 24] << 24
        | SBOX[w >>> 16 & 0xff] << 16
        | SBOX[w >>> 8 & 0xff] << 8
        | SBOX[w & 0xff];
  }

  /**
   * InvMixColumns of one column word, as the equivalent inverse cipher applies it to round keys.
   */
  static int invMixColumn(int w) {
    // TD already includes InvSubBytes, so feed it S[b] to cancel it.
    return TD0[SBOX[w >>> 24]]
        ^ TD1[SBOX[w >>> 16 & 0xff]]
        ^ TD2[SBOX[w >>> 8 & 0xff]]
        ^ TD3[SBOX[w & 0xff]];
  }

  private static int affine(int b) {
    int r = b ^ rotl8(b, 1) ^ rotl8(b, 2) ^ rotl8(b, 3) ^ rotl8(b, 4);
    return r ^ 0x63;
  }

  private static int rotl8(int b, int n) {
    return (b << n | b >>> (8 - n)) & 0xff;
  }

  private static int xtime(int b) {
    return (b << 1 ^ ((b & 0x80) != 0 ? 0x1b : 0)) & 0xff;
  }

  private static int mul(int a, int b) {
    int r = 0;
    while (b != 0) {
      if ((b & 1) != 0) {
        r ^= a;
      }
      a = xtime(a);
      b >>>= 1;
    }
    return r;
  }
}
