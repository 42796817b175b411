package io.github.kmsj.protocol.message;

/**
 * The client's licence state as sent in a request (docs/PROTOCOL.md §10); an open enum: any u32 is
 * kept.
 *
 * @param value the wire value
 */
public record LicenseStatus(int value) {
  /** 0: unlicensed. */
  public static final LicenseStatus UNLICENSED = new LicenseStatus(0);

  /** 1: licensed (activated). */
  public static final LicenseStatus LICENSED = new LicenseStatus(1);

  /** 2: out-of-box grace. */
  public static final LicenseStatus OOB_GRACE = new LicenseStatus(2);

  /** 3: out-of-tolerance grace. */
  public static final LicenseStatus OOT_GRACE = new LicenseStatus(3);

  /** 4: non-genuine grace. */
  public static final LicenseStatus NON_GENUINE_GRACE = new LicenseStatus(4);

  /** 5: notification. */
  public static final LicenseStatus NOTIFICATION = new LicenseStatus(5);

  /** 6: extended grace. */
  public static final LicenseStatus EXTENDED_GRACE = new LicenseStatus(6);

  private static final String[] NAMES = {
    "Unlicensed",
    "Licensed",
    "OOB grace",
    "OOT grace",
    "Non-genuine grace",
    "Notification",
    "Extended grace"
  };

  /** The status of a wire value; never throws. */
  public static LicenseStatus of(int value) {
    return value >= 0 && value <= 6 ? KNOWN[value] : new LicenseStatus(value);
  }

  private static final LicenseStatus[] KNOWN = {
    UNLICENSED, LICENSED, OOB_GRACE, OOT_GRACE, NON_GENUINE_GRACE, NOTIFICATION, EXTENDED_GRACE
  };

  /** Whether the value is one of the seven defined states. */
  public boolean isKnown() {
    return value >= 0 && value <= 6;
  }

  /** The state's name, for example "OOB grace", or "unknown (N)". */
  public String displayName() {
    return isKnown() ? NAMES[value] : "unknown (" + Integer.toUnsignedString(value) + ")";
  }

  @Override
  public String toString() {
    return value + " (" + displayName() + ")";
  }
}
