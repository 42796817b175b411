package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads vlmcsd's binary data file ({@code .kmd}, loaded by {@code vlmcsd -j FILE}), format major
 * version 2. All integers are little-endian; every offset counts from the start of the file.
 *
 * <pre>
 *   0  magic "KMD\0"            4  minor u16, major u16 (must be 2)
 *   8  csvlkCount u8, flags u8, 2 reserved
 *  12  appCount, kmsCount, skuCount, hostBuildCount, reserved: 5 x i32
 *  32  appOffset, kmsOffset, skuOffset, hostBuildOffset, reserved: 5 x u64
 *  72  csvlkCount x 32-byte CSVLK: ePidOffset u64, releaseDate i64 (Unix seconds), groupId u32,
 *      minKeyId u32, maxKeyId u32, minActiveClients u8, 3 reserved
 *  item (app, KMS counted ID, SKU), 32 bytes: GUID (16, wire order), nameOffset u64, appIndex u8,
 *      kmsIndex u8, protocolVersion u8, nCountPolicy u8, isRetail u8, isPreview u8, ePidIndex u8,
 *      reserved u8
 *  host build, 32 bytes: nameOffset u64, releaseDate i64, build i32, platformId i32, flags u32
 *      (1 NDR64, 2 use for ePID, 4 may be server), 4 reserved
 * </pre>
 *
 * Strings are NUL-terminated UTF-8; the file ends with a NUL byte. A KMS counted ID's {@code
 * ePidIndex} names the CSVLK that activates it, a SKU's {@code kmsIndex} its KMS counted ID. Errors
 * name the byte offset.
 */
final class KmdReader {
  private static final int HEADER = 72;
  private static final int RECORD = 32;
  private static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");

  /** vlmcsd's names for the first CSVLK indexes, as its ini file uses them. */
  private static final List<String> CSVLK_NAMES =
      List.of("Windows", "Office2010", "Office2013", "Office2016", "WinChinaGov");

  private final String origin;
  private final ImportBuilder out;
  private ByteBuffer buf;

  /** One app, KMS or SKU record. */
  private record Item(
      int offset,
      Guid guid,
      String name,
      int appIndex,
      int kmsIndex,
      int protocol,
      int nPolicy,
      boolean retail,
      boolean preview,
      int ePidIndex) {}

  /** One CSVLK record. */
  private record Csvlk(
      int offset, String ePid, long releaseDate, long groupId, long minKeyId, long maxKeyId) {}

  KmdReader(String origin, ImportBuilder out) {
    this.origin = origin;
    this.out = out;
  }

  ImportResult read(byte[] bytes) {
    buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < HEADER) {
      throw error(0, "a .kmd file has a 72-byte header, this file has " + bytes.length + " bytes");
    }
    if (bytes[0] != 'K' || bytes[1] != 'M' || bytes[2] != 'D' || bytes[3] != 0) {
      throw error(0, "not a vlmcsd data file: the magic must be \"KMD\\0\"");
    }
    int minor = Short.toUnsignedInt(buf.getShort(4));
    int major = Short.toUnsignedInt(buf.getShort(6));
    if (major != 2) {
      throw error(6, "unsupported .kmd version " + major + "." + minor + " (kmsj reads 2.x)");
    }
    if (bytes[bytes.length - 1] != 0) {
      throw error(bytes.length - 1, "the file must end with a NUL byte (truncated?)");
    }
    int csvlkCount = Byte.toUnsignedInt(buf.get(8));
    String[] sections = {"application", "KMS counted ID", "SKU", "host build"};
    int[] counts = new int[4];
    long[] offsets = new long[4];
    for (int i = 0; i < 4; i++) {
      counts[i] = buf.getInt(12 + 4 * i);
      offsets[i] = buf.getLong(32 + 8 * i);
      if (counts[i] < 0) {
        throw error(12 + 4 * i, sections[i] + " count is negative: " + counts[i]);
      }
      if (counts[i] > 0
          && (offsets[i] < 0 || offsets[i] + (long) counts[i] * RECORD > bytes.length)) {
        throw error(
            32 + 8 * i,
            counts[i]
                + " "
                + sections[i]
                + " records at offset "
                + offsets[i]
                + " run past the end of the file ("
                + bytes.length
                + " bytes)");
      }
    }
    if (HEADER + (long) csvlkCount * RECORD > bytes.length) {
      throw error(8, csvlkCount + " CSVLK records run past the end of the file");
    }
    out.title("vlmcsd data file (.kmd) version " + major + "." + minor);

    List<Csvlk> csvlks = new ArrayList<>();
    for (int i = 0; i < csvlkCount; i++) {
      int at = HEADER + i * RECORD;
      csvlks.add(
          new Csvlk(
              at,
              string(at, buf.getLong(at)),
              buf.getLong(at + 8),
              Integer.toUnsignedLong(buf.getInt(at + 16)),
              Integer.toUnsignedLong(buf.getInt(at + 20)),
              Integer.toUnsignedLong(buf.getInt(at + 24))));
      out.unmapped("CSVLK ePID: kmsj generates ePIDs from the group id and key range");
      if (buf.get(at + 28) != 0) {
        out.unmapped("CSVLK minActiveClients: kmsj has no per-key minimum count");
      }
    }
    List<Item> apps = items((int) offsets[0], counts[0]);
    List<Item> kms = items((int) offsets[1], counts[1]);
    List<Item> skus = items((int) offsets[2], counts[2]);

    for (Item a : apps) {
      out.application(new Application(a.guid(), a.name()));
    }
    if (!apps.isEmpty()) {
      out.unmapped(
          "application ePidIndex/kmsIndex: vlmcsd's fallback for unknown products; kmsj refuses them");
    }
    for (Item k : kms) {
      if (k.appIndex() >= apps.size()) {
        throw error(
            k.offset() + 24,
            "appIndex " + k.appIndex() + " but there are " + apps.size() + " applications");
      }
      if (k.ePidIndex() >= csvlkCount) {
        throw error(
            k.offset() + 30,
            "ePidIndex " + k.ePidIndex() + " but there are " + csvlkCount + " CSVLKs");
      }
      try {
        out.product(
            new KmsCountedProduct(
                k.guid(),
                k.name(),
                List.of(),
                apps.get(k.appIndex()).guid(),
                k.nPolicy(),
                k.protocol(),
                ImportBuilder.statusOf(k.guid()),
                k.retail(),
                k.preview()),
            "KMS counted ID record at offset " + k.offset());
      } catch (IllegalArgumentException e) {
        throw error(k.offset(), "KMS counted ID " + k.guid() + ": " + e.getMessage());
      }
    }
    for (Item s : skus) {
      if (s.kmsIndex() >= kms.size()) {
        throw error(
            s.offset() + 25,
            "kmsIndex " + s.kmsIndex() + " but there are " + kms.size() + " KMS counted IDs");
      }
      out.sku(
          new Sku(s.guid(), s.name(), kms.get(s.kmsIndex()).guid(), Optional.empty()),
          "SKU record at offset " + s.offset());
    }
    if (!skus.isEmpty()) {
      out.unmapped("SKU GVLKs: the .kmd format carries none");
    }
    List<Integer> epidBuilds = new ArrayList<>();
    for (int i = 0; i < counts[3]; i++) {
      int at = (int) offsets[3] + i * RECORD;
      String name = string(at, buf.getLong(at));
      long released = buf.getLong(at + 8);
      int build = buf.getInt(at + 16);
      int platformId = buf.getInt(at + 20);
      int flags = buf.getInt(at + 24);
      try {
        HostBuild hb =
            new HostBuild(
                build,
                name,
                platformId,
                date(released),
                (flags & 2) != 0,
                (flags & 4) != 0,
                (flags & 1) != 0);
        out.hostBuild(hb, "host build record at offset " + at);
        if (hb.useForEpid()) {
          epidBuilds.add(build);
        }
      } catch (IllegalArgumentException e) {
        throw error(at, "host build: " + e.getMessage());
      }
    }
    for (int i = 0; i < csvlks.size(); i++) {
      group(i, csvlks.get(i), kms, apps, epidBuilds);
    }
    return out.build("vlmcsd-kmd-" + major + "." + minor);
  }

  private void group(int index, Csvlk c, List<Item> kms, List<Item> apps, List<Integer> builds) {
    String name = index < CSVLK_NAMES.size() ? CSVLK_NAMES.get(index) : "CSVLK " + index;
    List<Item> activated = kms.stream().filter(k -> k.ePidIndex() == index).toList();
    if (activated.isEmpty()) {
      out.unmapped("CSVLK " + index + " (" + name + "): no KMS counted ID names it; not imported");
      return;
    }
    Guid appId = apps.get(activated.get(0).appIndex()).guid();
    if (c.groupId() > 99_999
        || c.minKeyId() > c.maxKeyId()
        || c.maxKeyId() > KeyIdRange.MAX_KEY_ID) {
      throw error(c.offset() + 16, "CSVLK " + index + ": group id or key id range out of range");
    }
    KeyIdRange range = new KeyIdRange(c.minKeyId(), c.maxKeyId());
    Optional<HostKey> known =
        out.reference().groups().stream()
            .flatMap(g -> g.hostKeys().stream())
            .filter(k -> k.groupId() == c.groupId() && k.keyIdRange().equals(Optional.of(range)))
            .findFirst();
    Guid csvlkId;
    if (known.isPresent()) {
      csvlkId = known.get().csvlkId();
    } else {
      csvlkId =
          Guid.of(
              UUID.nameUUIDFromBytes(
                  ("kmsj:vlmcsd-csvlk:" + c.groupId() + ":" + c.minKeyId() + ":" + c.maxKeyId())
                      .getBytes(StandardCharsets.UTF_8)));
      out.unmapped(
          "CSVLK "
              + index
              + " ("
              + name
              + "): the .kmd format has no CSVLK activation ID; kmsj made up "
              + csvlkId
              + " (name-based)");
    }
    HostKey key =
        new HostKey(
            csvlkId,
            known.map(HostKey::name).orElse(name),
            HostKeyRole.CUSTOMER,
            (int) c.groupId(),
            Optional.of(range),
            c.releaseDate() == 0 ? Optional.empty() : Optional.of(date(c.releaseDate())),
            Optional.of("ePID in the .kmd file: " + c.ePid()));
    List<CoverageEntry> activates = new ArrayList<>();
    for (Item k : activated) {
      Guid appOfItem = apps.get(k.appIndex()).guid();
      if (!appOfItem.equals(appId)) {
        out.unmapped(
            "CSVLK " + index + " activates " + k.name() + " of another application: edge dropped");
        continue;
      }
      KmsCountedProduct p = out.productById(k.guid());
      activates.add(
          new CoverageEntry(
              k.guid(),
              p.name(),
              out.edgeConfidence(k.guid()),
              out.edgeSource("CSVLK " + index + " (" + name + ")", p.name()),
              List.of(),
              Optional.of("the KMS counted ID's ePidIndex names this CSVLK in " + out.fileName())));
    }
    out.group(
        new HostKeyGroup(
            out.groupId(name),
            name + " CSVLK (imported from " + out.fileName() + ")",
            appId,
            appId.equals(WINDOWS) ? HostKind.SERVER : HostKind.OFFICE,
            List.of(key),
            builds,
            List.of(),
            activates,
            List.of()));
  }

  private List<Item> items(int offset, int count) {
    List<Item> items = new ArrayList<>();
    byte[] guid = new byte[16];
    for (int i = 0; i < count; i++) {
      int at = offset + i * RECORD;
      buf.get(at, guid);
      items.add(
          new Item(
              at,
              Guid.fromWire(guid, 0),
              string(at + 16, buf.getLong(at + 16)),
              Byte.toUnsignedInt(buf.get(at + 24)),
              Byte.toUnsignedInt(buf.get(at + 25)),
              Byte.toUnsignedInt(buf.get(at + 26)),
              Byte.toUnsignedInt(buf.get(at + 27)),
              buf.get(at + 28) != 0,
              buf.get(at + 29) != 0,
              Byte.toUnsignedInt(buf.get(at + 30))));
    }
    return items;
  }

  /** The NUL-terminated string at {@code offset}; {@code field} is where the offset was read. */
  private String string(int field, long offset) {
    if (offset < 0 || offset >= buf.capacity()) {
      throw error(
          field, "string offset " + offset + " is outside the file (" + buf.capacity() + " bytes)");
    }
    int end = (int) offset;
    while (buf.get(end) != 0) {
      end++;
    }
    byte[] b = new byte[end - (int) offset];
    buf.get((int) offset, b);
    String s = new String(b, StandardCharsets.UTF_8);
    if (s.isBlank()) {
      throw error(field, "empty name at offset " + offset);
    }
    return s;
  }

  private static LocalDate date(long unixSeconds) {
    return LocalDate.ofInstant(Instant.ofEpochSecond(unixSeconds), ZoneOffset.UTC);
  }

  private CatalogException error(int offset, String problem) {
    return new CatalogException(origin + ": byte offset " + offset + ": " + problem);
  }
}
