package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads py-kms's {@code KmsDataBase.xml}: {@code <KmsData Version Author>} holding {@code
 * <WinBuilds><WinBuild>}, {@code <CsvlkItems><CsvlkItem><Activate KmsItem>} and {@code
 * <AppItems><AppItem><KmsItem><SkuItem>}, with the attributes its header comment documents. GUIDs
 * may carry braces and upper case. Errors name the line and column.
 */
final class PyKmsDatabaseReader {
  private static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  private static final DateTimeFormatter MIN_DATE = DateTimeFormatter.ofPattern("d/M/uuuu");

  /** Attributes the mapping reads, per element; any other attribute is listed as unmapped. */
  private static final Map<String, Set<String>> MAPPED =
      Map.of(
          "KmsData", Set.of("Version", "Author", "noNamespaceSchemaLocation"),
          "WinBuild",
              Set.of(
                  "BuildNumber",
                  "DisplayName",
                  "PlatformId",
                  "UseForEpid",
                  "MayBeServer",
                  "UsesNDR64",
                  "WinBuildIndex",
                  "MinDate"),
          "CsvlkItem",
              Set.of(
                  "Id",
                  "DisplayName",
                  "IsLab",
                  "IsPreview",
                  "GroupId",
                  "MinKeyId",
                  "MaxKeyId",
                  "InvalidWinBuild"),
          "Activate", Set.of("KmsItem"),
          "AppItem", Set.of("Id", "DisplayName"),
          "KmsItem",
              Set.of(
                  "Id",
                  "DisplayName",
                  "IsRetail",
                  "IsPreview",
                  "DefaultKmsProtocol",
                  "NCountPolicy"),
          "SkuItem", Set.of("Id", "DisplayName", "Gvlk", "IsGeneratedGvlk"));

  private static final Map<String, String> WHY_UNMAPPED =
      Map.of(
          "EPid", "kmsj generates ePIDs from the group id and key range",
          "IniFileName", "a vlmcsd.ini name, no meaning for kmsj",
          "VlmcsdIndex", "a vlmcsd export index, no meaning for kmsj",
          "MinActiveClients", "kmsj has no per-application minimum count",
          "CanMapToDefaultCsvlk", "a vlmcsd export hint; kmsj refuses what no group activates");

  private final String origin;
  private final ImportBuilder out;
  private XMLStreamReader xml;

  /** One parsed element: its attributes and where it starts. */
  private record Element(String name, Map<String, String> attributes, Location at) {}

  /** A CSVLK with the KMS items it activates. */
  private record Csvlk(Element element, List<Element> activates) {}

  PyKmsDatabaseReader(String origin, ImportBuilder out) {
    this.origin = origin;
    this.out = out;
  }

  ImportResult read(byte[] bytes) {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    Element root = null;
    List<Element> builds = new ArrayList<>();
    List<Csvlk> csvlks = new ArrayList<>();
    List<Element> apps = new ArrayList<>();
    Map<Element, List<Element>> kmsItems = new LinkedHashMap<>();
    Map<Element, List<Element>> skuItems = new LinkedHashMap<>();
    Map<Element, Element> appOf = new LinkedHashMap<>();
    try {
      xml = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
      List<String> path = new ArrayList<>();
      Element app = null;
      Element kms = null;
      Csvlk csvlk = null;
      while (xml.hasNext()) {
        int event = xml.next();
        if (event == XMLStreamConstants.END_ELEMENT) {
          path.remove(path.size() - 1);
          continue;
        }
        if (event != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        Element e = element();
        String parent = path.isEmpty() ? "" : path.get(path.size() - 1);
        path.add(e.name());
        String where = parent.isEmpty() ? e.name() : parent + "/" + e.name();
        switch (where) {
          case "KmsData" -> root = e;
          case "KmsData/WinBuilds", "KmsData/CsvlkItems", "KmsData/AppItems" -> {}
          case "WinBuilds/WinBuild" -> builds.add(e);
          case "CsvlkItems/CsvlkItem" -> {
            csvlk = new Csvlk(e, new ArrayList<>());
            csvlks.add(csvlk);
          }
          case "CsvlkItem/Activate" -> csvlk.activates().add(e);
          case "AppItems/AppItem" -> {
            app = e;
            apps.add(e);
          }
          case "AppItem/KmsItem" -> {
            kms = e;
            kmsItems.computeIfAbsent(app, k -> new ArrayList<>()).add(e);
            appOf.put(e, app);
          }
          case "KmsItem/SkuItem" -> skuItems.computeIfAbsent(kms, k -> new ArrayList<>()).add(e);
          default -> {
            if (path.size() == 1) {
              throw error(e.at(), "the root element must be <KmsData>, not <" + e.name() + ">");
            }
            out.unmapped("element <" + where + ">: not part of the KmsDataBase format kmsj reads");
            continue;
          }
        }
        unmappedAttributes(e);
      }
    } catch (XMLStreamException e) {
      String message = e.getMessage();
      int i = message == null ? -1 : message.indexOf("Message: ");
      String text = i < 0 ? String.valueOf(message) : message.substring(i + 9);
      throw error(e.getLocation(), "not well-formed XML: " + text.strip());
    }
    if (root == null) {
      throw new CatalogException(origin + ": no <KmsData> element");
    }
    out.title(
        "py-kms KmsDataBase.xml, Version "
            + root.attributes().getOrDefault("Version", "unknown")
            + ", Author "
            + root.attributes().getOrDefault("Author", "unknown"));

    Map<Integer, Integer> buildByIndex = new LinkedHashMap<>();
    for (Element b : builds) {
      HostBuild hb = hostBuild(b);
      if (hb != null) {
        out.hostBuild(hb, describe(b));
        if (hb.useForEpid() && b.attributes().containsKey("WinBuildIndex")) {
          buildByIndex.put(integer(b, "WinBuildIndex"), hb.build());
        }
      }
    }
    for (Element a : apps) {
      out.application(new Application(guid(a, "Id"), text(a, "DisplayName")));
    }
    for (Map.Entry<Element, List<Element>> entry : kmsItems.entrySet()) {
      Guid appId = guid(entry.getKey(), "Id");
      for (Element k : entry.getValue()) {
        out.product(product(k, appId), describe(k));
        for (Element s : skuItems.getOrDefault(k, List.of())) {
          out.sku(sku(s, guid(k, "Id")), describe(s));
        }
      }
    }
    for (Csvlk c : csvlks) {
      group(c, buildByIndex);
    }
    return out.build("pykms-" + root.attributes().getOrDefault("Version", "unknown"));
  }

  private Element element() {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < xml.getAttributeCount(); i++) {
      attributes.put(xml.getAttributeLocalName(i), xml.getAttributeValue(i));
    }
    return new Element(xml.getLocalName(), attributes, xml.getLocation());
  }

  private void unmappedAttributes(Element e) {
    Set<String> mapped = MAPPED.getOrDefault(e.name(), Set.of());
    for (String a : e.attributes().keySet()) {
      if (!mapped.contains(a)) {
        out.unmapped(
            e.name() + "@" + a + ": " + WHY_UNMAPPED.getOrDefault(a, "not in kmsj's model"));
      }
    }
  }

  private HostBuild hostBuild(Element b) {
    int build = integer(b, "BuildNumber");
    String name = text(b, "DisplayName");
    int platformId = integer(b, "PlatformId");
    Optional<LocalDate> date =
        optional(b, "MinDate")
            .map(d -> date(b, d))
            .or(() -> out.knownHostBuild(build).map(HostBuild::releaseDate));
    if (date.isEmpty()) {
      out.unmapped(
          "WinBuild "
              + build
              + " ("
              + name
              + "): no MinDate and not in the reference catalog; a"
              + " kmsj host build needs a release date");
      return null;
    }
    try {
      return new HostBuild(
          build,
          name,
          platformId,
          date.get(),
          bool(b, "UseForEpid"),
          bool(b, "MayBeServer"),
          bool(b, "UsesNDR64"));
    } catch (IllegalArgumentException e) {
      throw error(b.at(), "WinBuild: " + e.getMessage());
    }
  }

  private KmsCountedProduct product(Element k, Guid appId) {
    Guid id = guid(k, "Id");
    String protocol = optional(k, "DefaultKmsProtocol").orElse("6.0");
    int major;
    if (protocol.equals("4.0") || protocol.equals("5.0") || protocol.equals("6.0")) {
      major = protocol.charAt(0) - '0';
    } else {
      throw error(
          k.at(), "KmsItem: DefaultKmsProtocol must be 4.0, 5.0 or 6.0: '" + protocol + "'");
    }
    try {
      return new KmsCountedProduct(
          id,
          text(k, "DisplayName"),
          List.of(),
          appId,
          optional(k, "NCountPolicy").map(v -> parseInt(k, "NCountPolicy", v)).orElse(25),
          major,
          ImportBuilder.statusOf(id),
          bool(k, "IsRetail"),
          bool(k, "IsPreview"));
    } catch (IllegalArgumentException e) {
      throw error(k.at(), "KmsItem: " + e.getMessage());
    }
  }

  private Sku sku(Element s, Guid kmsId) {
    Optional<String> gvlk = optional(s, "Gvlk");
    if (bool(s, "IsGeneratedGvlk") && gvlk.isPresent()) {
      out.unmapped(
          "SkuItem@Gvlk with IsGeneratedGvlk=true: a generated key is not a GVLK, dropped");
      gvlk = Optional.empty();
    }
    if (gvlk.isPresent() && !gvlk.get().matches("[0-9A-Z]{5}(-[0-9A-Z]{5}){4}")) {
      out.unmapped("SkuItem@Gvlk not of the form XXXXX-XXXXX-XXXXX-XXXXX-XXXXX: dropped");
      gvlk = Optional.empty();
    }
    return new Sku(guid(s, "Id"), text(s, "DisplayName"), kmsId, gvlk);
  }

  private void group(Csvlk c, Map<Integer, Integer> buildByIndex) {
    Element e = c.element();
    Guid csvlkId = guid(e, "Id");
    String name = text(e, "DisplayName");
    Optional<HostKey> known = out.referenceKey(csvlkId);
    if (!e.attributes().containsKey("GroupId") && known.isEmpty()) {
      out.unmapped(
          "CsvlkItem "
              + name
              + ": no GroupId and the CSVLK is not in the reference catalog;"
              + " the group was not imported");
      return;
    }
    HostKeyRole role =
        bool(e, "IsLab")
            ? HostKeyRole.MICROSOFT_INTERNAL_LAB
            : bool(e, "IsPreview") ? HostKeyRole.PRE_RELEASE : HostKeyRole.CUSTOMER;
    HostKey key;
    try {
      int groupId =
          e.attributes().containsKey("GroupId") ? integer(e, "GroupId") : known.get().groupId();
      Optional<KeyIdRange> range =
          e.attributes().containsKey("MinKeyId") && e.attributes().containsKey("MaxKeyId")
              ? Optional.of(
                  new KeyIdRange(
                      parseLong(e, "MinKeyId", e.attributes().get("MinKeyId")),
                      parseLong(e, "MaxKeyId", e.attributes().get("MaxKeyId"))))
              : known.flatMap(HostKey::keyIdRange);
      key =
          out.hostKey(
              new HostKey(csvlkId, name, role, groupId, range, Optional.empty(), Optional.empty()),
              describe(e));
    } catch (IllegalArgumentException ex) {
      throw error(e.at(), "CsvlkItem: " + ex.getMessage());
    }
    List<CoverageEntry> activates = new ArrayList<>();
    Set<Guid> seen = new HashSet<>();
    Guid appId = null;
    for (Element a : c.activates()) {
      Guid kmsId = guid(a, "KmsItem");
      if (!out.hasProduct(kmsId)) {
        out.unmapped(
            "CsvlkItem "
                + name
                + " activates KmsItem "
                + kmsId
                + ", which no AppItem defines:"
                + " edge dropped");
        continue;
      }
      KmsCountedProduct p = productOf(kmsId);
      if (appId == null) {
        appId = p.applicationId();
      } else if (!appId.equals(p.applicationId())) {
        out.unmapped(
            "CsvlkItem "
                + name
                + " activates "
                + p.name()
                + " of another application: edge"
                + " dropped (a kmsj group serves one application)");
        continue;
      }
      if (seen.add(kmsId)) {
        activates.add(
            new CoverageEntry(
                kmsId,
                p.name(),
                out.edgeConfidence(kmsId),
                out.edgeSource(name, p.name()),
                List.of(),
                Optional.of(
                    "listed under the CsvlkItem's <Activate> elements in " + out.fileName())));
      }
    }
    if (appId == null) {
      out.unmapped("CsvlkItem " + name + ": activates nothing kmsj could map; not imported");
      return;
    }
    Set<Integer> invalid = new HashSet<>();
    String list = optional(e, "InvalidWinBuild").orElse("[]").strip();
    if (!list.matches("\\[\\s*(\\d+\\s*(,\\s*\\d+\\s*)*)?]")) {
      throw error(
          e.at(), "CsvlkItem: InvalidWinBuild must be a list such as [0,1,2]: '" + list + "'");
    }
    for (String s : list.substring(1, list.length() - 1).split(",")) {
      if (!s.isBlank()) {
        invalid.add(Integer.parseInt(s.strip()));
      }
    }
    List<Integer> hostBuilds = new ArrayList<>();
    buildByIndex.forEach(
        (index, build) -> {
          if (!invalid.contains(index)) {
            hostBuilds.add(build);
          }
        });
    HostKind kind =
        !appId.equals(WINDOWS)
            ? HostKind.OFFICE
            : name.toLowerCase(Locale.ROOT).contains("server") ? HostKind.SERVER : HostKind.CLIENT;
    out.group(
        new HostKeyGroup(
            out.groupId(name),
            name + " (imported from " + out.fileName() + ")",
            appId,
            kind,
            List.of(key),
            hostBuilds,
            List.of(),
            activates,
            List.of()));
  }

  private KmsCountedProduct productOf(Guid id) {
    return out.productById(id);
  }

  private String describe(Element e) {
    return "<"
        + e.name()
        + Optional.ofNullable(e.attributes().get("DisplayName"))
            .map(n -> " DisplayName=\"" + n + "\"")
            .orElse("")
        + "> at line "
        + e.at().getLineNumber();
  }

  private String text(Element e, String attribute) {
    String v = e.attributes().get(attribute);
    if (v == null || v.isBlank()) {
      throw error(e.at(), e.name() + ": missing attribute '" + attribute + "'");
    }
    return v.strip();
  }

  private Optional<String> optional(Element e, String attribute) {
    return Optional.ofNullable(e.attributes().get(attribute))
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  private int integer(Element e, String attribute) {
    return parseInt(e, attribute, text(e, attribute));
  }

  private int parseInt(Element e, String attribute, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException ex) {
      throw error(e.at(), e.name() + ": " + attribute + " must be an integer: '" + v + "'");
    }
  }

  private long parseLong(Element e, String attribute, String v) {
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException ex) {
      throw error(e.at(), e.name() + ": " + attribute + " must be an integer: '" + v + "'");
    }
  }

  private boolean bool(Element e, String attribute) {
    String v = e.attributes().get(attribute);
    if (v == null) {
      return false;
    }
    switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
        return true;
      case "false":
      case "0":
        return false;
      default:
        throw error(e.at(), e.name() + ": " + attribute + " must be true or false: '" + v + "'");
    }
  }

  private Guid guid(Element e, String attribute) {
    String v = text(e, attribute);
    String bare = v.startsWith("{") && v.endsWith("}") ? v.substring(1, v.length() - 1) : v;
    try {
      return Guid.parse(bare.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException ex) {
      throw error(e.at(), e.name() + ": " + attribute + " is not a GUID: '" + v + "'");
    }
  }

  private LocalDate date(Element e, String v) {
    try {
      return LocalDate.parse(v, MIN_DATE);
    } catch (DateTimeParseException ex) {
      throw error(e.at(), e.name() + ": MinDate must be day/month/year: '" + v + "'");
    }
  }

  private CatalogException error(Location at, String problem) {
    String position =
        at == null ? "" : "line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ": ";
    return new CatalogException(origin + ": " + position + problem);
  }
}
