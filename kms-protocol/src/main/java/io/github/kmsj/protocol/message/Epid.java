package io.github.kmsj.protocol.message;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KMS host's extended product ID, such as {@code
 * 03612-00206-556-123456-03-1033-17763.0000-2792018} (docs/PROTOCOL.md §8).
 *
 * @param platformId part 1: the platform ID of the host OS build (0-99999)
 * @param groupId part 2: the host key's (CSVLK) group ID (0-99999)
 * @param keyId parts 3 and 4: the 9-digit product key ID (0-999999999)
 * @param channel part 5: the licence channel, 3 for volume (0-99)
 * @param lcid part 6: the host's locale ID (0-99999)
 * @param build part 7: the host's OS build number (0-99999)
 * @param activationDate part 8: the day the host key was activated
 */
public record Epid(
    int platformId,
    int groupId,
    int keyId,
    int channel,
    int lcid,
    int build,
    LocalDate activationDate) {

  private static final Pattern FORMAT =
      Pattern.compile(
          "(\\d{5})-(\\d{5})-(\\d{3})-(\\d{6})-(\\d{2})-(\\d{1,5})-(\\d{1,5})\\.0000-(\\d{3})(\\d{4})");

  /** Range checks. */
  public Epid {
    check(platformId, 99_999, "platformId");
    check(groupId, 99_999, "groupId");
    check(keyId, 999_999_999, "keyId");
    check(channel, 99, "channel");
    check(lcid, 99_999, "lcid");
    check(build, 99_999, "build");
    if (activationDate == null
        || activationDate.getYear() < 1000
        || activationDate.getYear() > 9999) {
      throw new IllegalArgumentException(
          "activationDate must be in years 1000-9999: " + activationDate);
    }
  }

  private static void check(int value, int max, String name) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + " must be 0-" + max + ": " + value);
    }
  }

  /** Parses the text form; throws {@link IllegalArgumentException} naming the problem. */
  public static Epid parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not an ePID (PPPPP-GGGGG-KKK-KKKKKK-CC-LCID-BUILD.0000-DDDYYYY): " + text);
    }
    try {
      int day = Integer.parseInt(m.group(8));
      int year = Integer.parseInt(m.group(9));
      return new Epid(
          Integer.parseInt(m.group(1)),
          Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)) * 1_000_000 + Integer.parseInt(m.group(4)),
          Integer.parseInt(m.group(5)),
          Integer.parseInt(m.group(6)),
          Integer.parseInt(m.group(7)),
          LocalDate.ofYearDay(year, day));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("ePID has an impossible activation day: " + text, e);
    }
  }

  /** Parses the text form, or empty when it is not an ePID. */
  public static Optional<Epid> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The text form. */
  public String format() {
    return String.format(
        java.util.Locale.ROOT,
        "%05d-%05d-%03d-%06d-%02d-%d-%d.0000-%03d%04d",
        platformId,
        groupId,
        keyId / 1_000_000,
        keyId % 1_000_000,
        channel,
        lcid,
        build,
        activationDate.getDayOfYear(),
        activationDate.getYear());
  }

  @Override
  public String toString() {
    return format();
  }
}
