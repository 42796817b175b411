package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Epid;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a host's ePID says when read against the catalog (docs/PROTOCOL.md §8): the host build its
 * platform and build parts name, the host keys (and so the host-key groups and product generation)
 * its group ID and key ID fit, and whether the parts agree with each other and with the date.
 *
 * <p>Notes: many groups share CSVLK group ID 206 (Windows 8 to Server 2019 and Office 2013 to
 * 2019), and only the key-ID ranges tell them apart, so a key ID outside every range of its group
 * ID leaves the generation open. A genuine host's ePID passes every check; so does a well-made
 * emulator's, so the checks are a plausibility reading, not an authenticity test.
 *
 * @param epid the ePID read
 * @param build the host build its build part names, when the catalog knows it
 * @param keys every host key whose CSVLK group ID is the ePID's, with whether its key-ID range
 *     holds the ePID's key ID; the ones that hold it first
 * @param checks the plausibility checks, in a fixed order
 */
public record EpidReading(
    Epid epid, Optional<HostBuild> build, List<KeyMatch> keys, List<Check> checks) {

  /** A few LCIDs by name, for display; any other is shown as its number. */
  private static final Map<Integer, String> LCIDS =
      Map.ofEntries(
          Map.entry(1031, "de-DE"),
          Map.entry(1033, "en-US"),
          Map.entry(1036, "fr-FR"),
          Map.entry(1040, "it-IT"),
          Map.entry(1041, "ja-JP"),
          Map.entry(1042, "ko-KR"),
          Map.entry(1043, "nl-NL"),
          Map.entry(1045, "pl-PL"),
          Map.entry(1046, "pt-BR"),
          Map.entry(1049, "ru-RU"),
          Map.entry(1053, "sv-SE"),
          Map.entry(1055, "tr-TR"),
          Map.entry(2052, "zh-CN"),
          Map.entry(2057, "en-GB"),
          Map.entry(3082, "es-ES"));

  /** Copies the lists. */
  public EpidReading {
    Objects.requireNonNull(epid, "epid");
    Objects.requireNonNull(build, "build");
    keys = List.copyOf(keys);
    checks = List.copyOf(checks);
  }

  /**
   * One host key the ePID may come from.
   *
   * @param group its host-key group (the product generation)
   * @param key the key
   * @param keyIdInRange whether the key's key-ID range holds the ePID's key ID (false when the
   *     catalog gives no range)
   */
  public record KeyMatch(HostKeyGroup group, HostKey key, boolean keyIdInRange) {}

  /**
   * One plausibility check.
   *
   * @param name a short stable name, such as {@code channel} or {@code keyIdRange}
   * @param passed whether the ePID passes it
   * @param detail what was compared, one sentence
   */
  public record Check(String name, boolean passed, String detail) {}

  /** Whether every check passed. */
  public boolean isPlausible() {
    return checks.stream().allMatch(Check::passed);
  }

  /** The host-key groups whose key-ID range holds the key ID, in catalog order, without repeats. */
  public List<HostKeyGroup> groups() {
    return keys.stream().filter(KeyMatch::keyIdInRange).map(KeyMatch::group).distinct().toList();
  }

  /** The LCID's name when it is a common one, else empty. */
  public Optional<String> lcidName() {
    return Optional.ofNullable(LCIDS.get(epid.lcid()));
  }

  /** Reads the text form of an ePID; throws {@link IllegalArgumentException} naming the problem. */
  public static EpidReading read(ProductCatalog catalog, String ePid, LocalDate today) {
    return read(catalog, Epid.parse(ePid.strip()), today);
  }

  /** Reads an ePID against the catalog, as of {@code today} (for the activation date check). */
  public static EpidReading read(ProductCatalog catalog, Epid epid, LocalDate today) {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(today, "today");
    Optional<HostBuild> build = catalog.hostBuild(epid.build());
    List<KeyMatch> inRange = new ArrayList<>();
    List<KeyMatch> outOfRange = new ArrayList<>();
    for (HostKeyGroup g : catalog.groups()) {
      for (HostKey k : g.hostKeys()) {
        if (k.groupId() != epid.groupId()) {
          continue;
        }
        boolean in = k.keyIdRange().filter(r -> r.contains(epid.keyId())).isPresent();
        (in ? inRange : outOfRange).add(new KeyMatch(g, k, in));
      }
    }
    List<KeyMatch> keys = new ArrayList<>(inRange);
    keys.addAll(outOfRange);
    List<Check> checks = new ArrayList<>();
    checks.add(
        new Check(
            "channel",
            epid.channel() == 3,
            "channel "
                + String.format("%02d", epid.channel())
                + (epid.channel() == 3
                    ? " is volume licensing"
                    : ", a KMS host key is channel 03 (volume)")));
    checks.add(
        new Check(
            "hostBuild",
            build.isPresent(),
            build
                .map(b -> "build " + epid.build() + " is " + b.name())
                .orElse("build " + epid.build() + " is no Windows build the catalog knows")));
    checks.add(
        new Check(
            "platformId",
            build.filter(b -> b.platformId() == epid.platformId()).isPresent(),
            build
                .map(
                    b ->
                        b.platformId() == epid.platformId()
                            ? String.format(
                                "platform %05d matches build %d", epid.platformId(), b.build())
                            : String.format(
                                "platform %05d, but build %d has platform %05d",
                                epid.platformId(), b.build(), b.platformId()))
                .orElse(String.format("platform %05d: build unknown", epid.platformId()))));
    checks.add(
        new Check(
            "groupId",
            !keys.isEmpty(),
            keys.isEmpty()
                ? "group " + epid.groupId() + " is no CSVLK group the catalog knows"
                : "group "
                    + epid.groupId()
                    + " is a CSVLK group of "
                    + keys.stream().map(m -> m.group().id()).distinct().toList()));
    List<HostKeyGroup> groups = inRange.stream().map(KeyMatch::group).distinct().toList();
    checks.add(
        new Check(
            "keyIdRange",
            !groups.isEmpty(),
            groups.isEmpty()
                ? "key ID " + epid.keyId() + " is in no key-ID range of group " + epid.groupId()
                : "key ID "
                    + epid.keyId()
                    + " is in the range of "
                    + groups.stream().map(HostKeyGroup::id).toList()));
    boolean buildAllowed = groups.stream().anyMatch(g -> g.allowsHostBuild(epid.build()));
    checks.add(
        new Check(
            "buildForGroup",
            buildAllowed,
            buildAllowed
                ? "a key of that generation installs on build " + epid.build()
                : "no matching key installs on build " + epid.build()));
    LocalDate date = epid.activationDate();
    LocalDate earliest = build.map(HostBuild::releaseDate).orElse(LocalDate.MIN);
    for (KeyMatch m : inRange) {
      if (m.key().releaseDate().isPresent()
          && m.key().releaseDate().get().isAfter(earliest)
          && inRange.size() == 1) {
        earliest = m.key().releaseDate().get();
      }
    }
    boolean dateOk = !date.isAfter(today) && !date.isBefore(earliest);
    checks.add(
        new Check(
            "activationDate",
            dateOk,
            date.isAfter(today)
                ? "activated " + date + ", after today (" + today + ")"
                : date.isBefore(earliest)
                    ? "activated "
                        + date
                        + ", before its build or key was released ("
                        + earliest
                        + ")"
                    : "activated " + date + ", after the release of its build and key"));
    checks.add(
        new Check(
            "lcid",
            epid.lcid() >= 1024 && epid.lcid() <= 0x7fff,
            "LCID "
                + epid.lcid()
                + Optional.ofNullable(LCIDS.get(epid.lcid())).map(n -> " (" + n + ")").orElse("")
                + (epid.lcid() >= 1024 && epid.lcid() <= 0x7fff
                    ? ""
                    : " is outside the locale IDs Windows uses (1024-32767)")));
    return new EpidReading(epid, build, keys, checks);
  }
}
