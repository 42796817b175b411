package io.github.kmsj.protocol.message;

/**
 * The KMS protocol version word: the low 16 bits are the minor version, the high 16 bits the major
 * (docs/PROTOCOL.md §5.1).
 *
 * @param major 0-65535
 * @param minor 0-65535
 */
public record ProtocolVersion(int major, int minor) {
  /** Version 4.0. */
  public static final ProtocolVersion V4 = new ProtocolVersion(4, 0);

  /** Version 5.0. */
  public static final ProtocolVersion V5 = new ProtocolVersion(5, 0);

  /** Version 6.0. */
  public static final ProtocolVersion V6 = new ProtocolVersion(6, 0);

  /** Range checks. */
  public ProtocolVersion {
    if ((major & ~0xffff) != 0 || (minor & ~0xffff) != 0) {
      throw new IllegalArgumentException("version parts must be 0-65535: " + major + "." + minor);
    }
  }

  /** The version of a wire word. */
  public static ProtocolVersion fromWire(int word) {
    int major = word >>> 16;
    int minor = word & 0xffff;
    if (minor == 0 && major >= 4 && major <= 6) {
      return major == 4 ? V4 : major == 5 ? V5 : V6;
    }
    return new ProtocolVersion(major, minor);
  }

  /** Parses "6.0". */
  public static ProtocolVersion parse(String text) {
    int dot = text.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("a version is MAJOR.MINOR: '" + text + "'");
    }
    return new ProtocolVersion(
        Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
  }

  /** The wire word. */
  public int toWire() {
    return major << 16 | minor;
  }

  /** Whether a host can answer it: 4.0, 5.0 or 6.0. */
  public boolean isSupported() {
    return minor == 0 && major >= 4 && major <= 6;
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
