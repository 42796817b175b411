package io.github.kmsj.core.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.kmsj.protocol.message.Guid;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the catalog format described in {@code package-info.java} through Jackson's tree model.
 *
 * <p>Every error names the origin (a file name), the entry (section, index and id) and the field,
 * so that a user who edits a catalog file can find the mistake.
 */
final class CatalogReader {

  static final String FORMAT = "kmsj-catalog/1";
  static final String OVERLAY_FORMAT = "kmsj-overlay/1";
  static final String UNVERSIONED = "unversioned";

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final String origin;

  private CatalogReader(String origin) {
    this.origin = origin;
  }

  static ProductCatalog read(InputStream in, String origin) {
    return new CatalogReader(origin).catalog(tree(in, origin));
  }

  /** {@code base} extended by a catalog file (merged) or an overlay file (applied). */
  static ProductCatalog extend(ProductCatalog base, InputStream in, String origin) {
    JsonNode root = tree(in, origin);
    CatalogReader reader = new CatalogReader(origin);
    if (root != null && root.isObject() && OVERLAY_FORMAT.equals(root.path("format").asText())) {
      return reader.overlay(root).applyTo(base);
    }
    return base.merge(reader.catalog(root));
  }

  static CatalogOverlay readOverlay(InputStream in, String origin) {
    return new CatalogReader(origin).overlay(tree(in, origin));
  }

  private static JsonNode tree(InputStream in, String origin) {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (JacksonException e) {
      throw new CatalogException(
          origin + ": not valid JSON: " + e.getOriginalMessage() + " at " + location(e), e);
    } catch (IOException e) {
      throw new CatalogException(origin + ": cannot read: " + e.getMessage(), e);
    }
    return root;
  }

  private static String location(JacksonException e) {
    return e.getLocation() == null
        ? "unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private ProductCatalog catalog(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw error("the document", "must be a JSON object");
    }
    String format = text(root, "format", "the document");
    if (!format.equals(FORMAT)) {
      throw error(
          "the document",
          "format must be '"
              + FORMAT
              + "': '"
              + format
              + "'"
              + (format.equals(OVERLAY_FORMAT)
                  ? " (an overlay extends a catalog; give it as --catalog FILE, without"
                      + " --replace-catalog)"
                  : ""));
    }
    return ProductCatalog.of(
        optional(root, "version", "the document").orElse(UNVERSIONED),
        sources(root),
        section(root, "applications", this::application),
        section(root, "kmsCountedIds", this::product),
        section(root, "hostKeyGroups", this::group),
        section(root, "skus", this::sku),
        section(root, "hostBuilds", this::hostBuild),
        origin);
  }

  private CatalogOverlay overlay(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw error("the document", "must be a JSON object");
    }
    String format = text(root, "format", "the document");
    if (!format.equals(OVERLAY_FORMAT)) {
      throw error("the document", "format must be '" + OVERLAY_FORMAT + "': '" + format + "'");
    }
    return new CatalogOverlay(
        origin,
        text(root, "version", "the document"),
        sources(root),
        section(root, "applications", this::application),
        section(root, "kmsCountedIds", this::product),
        section(root, "hostKeyGroups", this::group),
        section(root, "skus", this::sku),
        section(root, "hostBuilds", this::hostBuild),
        section(root, "extendGroups", this::extension),
        section(root, "retire", this::retirement));
  }

  private CatalogOverlay.GroupExtension extension(JsonNode n, String where) {
    return new CatalogOverlay.GroupExtension(
        text(n, "group", where),
        list(n, "activates", where, this::coverage),
        list(n, "doesNotActivate", where, this::refusal),
        list(n, "hostBuilds", where, this::intValue),
        where);
  }

  private CatalogOverlay.Retirement retirement(JsonNode n, String where) {
    return new CatalogOverlay.Retirement(
        text(n, "group", where), guid(n, "kmsCountedId", where), text(n, "reason", where), where);
  }

  private List<SourceDocument> sources(JsonNode root) {
    JsonNode s = root.get("sources");
    if (s == null || s.isNull()) {
      return List.of();
    }
    if (!s.isObject()) {
      throw error("sources", "must be an object of ref: {title, url, repoPath, sha256}");
    }
    List<SourceDocument> out = new ArrayList<>();
    var fields = s.properties().iterator();
    while (fields.hasNext()) {
      var e = fields.next();
      String where = "sources." + e.getKey();
      requireObject(e.getValue(), where);
      JsonNode n = e.getValue();
      try {
        out.add(
            new SourceDocument(
                e.getKey(),
                text(n, "title", where),
                optional(n, "url", where),
                optional(n, "repoPath", where),
                optional(n, "sha256", where)));
      } catch (IllegalArgumentException ex) {
        throw new CatalogException(origin + ": " + where + ": " + ex.getMessage(), ex);
      }
    }
    return out;
  }

  /** One array of entries; {@code parser} gets the node and a description of where it is. */
  private <T> List<T> section(JsonNode root, String name, EntryParser<T> parser) {
    JsonNode array = root.get(name);
    if (array == null || array.isNull()) {
      return List.of();
    }
    if (!array.isArray()) {
      throw error(name, "must be an array");
    }
    List<T> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode node = array.get(i);
      String where = name + "[" + i + "]";
      if (!node.isObject()) {
        throw error(where, "must be an object");
      }
      JsonNode id =
          node.has("id")
              ? node.get("id")
              : node.has("skuId")
                  ? node.get("skuId")
                  : node.has("group") ? node.get("group") : node.get("build");
      if (id != null && id.isValueNode()) {
        where += " (" + id.asText() + ")";
      }
      try {
        out.add(parser.parse(node, where));
      } catch (IllegalArgumentException e) {
        throw new CatalogException(origin + ": " + where + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  @FunctionalInterface
  private interface EntryParser<T> {
    T parse(JsonNode node, String where);
  }

  private Application application(JsonNode n, String where) {
    return new Application(guid(n, "id", where), text(n, "name", where));
  }

  private KmsCountedProduct product(JsonNode n, String where) {
    return new KmsCountedProduct(
        guid(n, "id", where),
        text(n, "name", where),
        list(n, "aliases", where, (e, w) -> textValue(e, w)),
        guid(n, "applicationId", where),
        integer(n, "requiredClientCount", where),
        integer(n, "protocolMajorVersion", where),
        enumValue(GuidStatus.class, n, "guidStatus", where),
        bool(n, "retail", where),
        bool(n, "preview", where));
  }

  private HostKeyGroup group(JsonNode n, String where) {
    return new HostKeyGroup(
        text(n, "id", where),
        text(n, "name", where),
        guid(n, "applicationId", where),
        enumValue(HostKind.class, n, "hostKind", where),
        list(n, "hostKeys", where, this::hostKey),
        list(n, "hostBuilds", where, this::intValue),
        list(n, "hostBuildsInferred", where, this::intValue),
        list(n, "activates", where, this::coverage),
        list(n, "doesNotActivate", where, this::refusal));
  }

  private HostKey hostKey(JsonNode n, String where) {
    requireObject(n, where);
    Optional<KeyIdRange> range = Optional.empty();
    JsonNode r = n.get("keyIdRange");
    if (r != null && !r.isNull()) {
      if (!r.isArray()
          || r.size() != 2
          || !r.get(0).isIntegralNumber()
          || !r.get(1).isIntegralNumber()) {
        throw error(where, "keyIdRange must be [min, max]: " + r);
      }
      range = Optional.of(new KeyIdRange(r.get(0).asLong(), r.get(1).asLong()));
    }
    return new HostKey(
        guid(n, "csvlkId", where),
        text(n, "name", where),
        enumValue(HostKeyRole.class, n, "role", where),
        integer(n, "groupId", where),
        range,
        optional(n, "releaseDate", where).map(s -> date(s, where + ".releaseDate")),
        optional(n, "note", where));
  }

  private CoverageEntry coverage(JsonNode n, String where) {
    requireObject(n, where);
    JsonNode s = n.get("source");
    String sourceWhere = where + ".source";
    if (s == null || !s.isObject()) {
      throw error(where, "source must be an object");
    }
    Source source =
        new Source(
            text(s, "ref", sourceWhere),
            optional(s, "url", sourceWhere),
            optional(s, "path", sourceWhere),
            optional(s, "row", sourceWhere),
            optional(s, "item", sourceWhere));
    return new CoverageEntry(
        guid(n, "kmsCountedId", where),
        text(n, "name", where),
        enumValue(Confidence.class, n, "confidence", where),
        source,
        list(n, "onlyHostKeys", where, (e, w) -> parseGuid(textValue(e, w), w)),
        optional(n, "basis", where));
  }

  private NotedRefusal refusal(JsonNode n, String where) {
    requireObject(n, where);
    return new NotedRefusal(guid(n, "kmsCountedId", where), text(n, "reason", where));
  }

  private Sku sku(JsonNode n, String where) {
    return new Sku(
        guid(n, "skuId", where),
        text(n, "name", where),
        guid(n, "kmsCountedId", where),
        optional(n, "gvlk", where));
  }

  private HostBuild hostBuild(JsonNode n, String where) {
    return new HostBuild(
        integer(n, "build", where),
        text(n, "name", where),
        integer(n, "platformId", where),
        date(text(n, "releaseDate", where), where + ".releaseDate"),
        bool(n, "useForEpid", where),
        bool(n, "mayBeServer", where),
        bool(n, "usesNdr64", where));
  }

  // Field readers. Optional lists and booleans default to empty and false, so extension files stay
  // short.

  private void requireObject(JsonNode n, String where) {
    if (!n.isObject()) {
      throw error(where, "must be an object");
    }
  }

  private String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw error(where, "missing field '" + field + "'");
    }
    return textValue(v, where + "." + field);
  }

  private String textValue(JsonNode v, String where) {
    if (!v.isTextual()) {
      throw error(where, "must be a string: " + v);
    }
    return v.textValue();
  }

  private Optional<String> optional(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    return Optional.of(textValue(v, where + "." + field));
  }

  private int integer(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw error(where, "missing field '" + field + "'");
    }
    return intValue(v, where + "." + field);
  }

  private int intValue(JsonNode v, String where) {
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw error(where, "must be an integer: " + v);
    }
    return v.intValue();
  }

  private boolean bool(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw error(where + "." + field, "must be true or false: " + v);
    }
    return v.booleanValue();
  }

  private Guid guid(JsonNode n, String field, String where) {
    return parseGuid(text(n, field, where), where + "." + field);
  }

  private Guid parseGuid(String text, String where) {
    try {
      Guid guid = Guid.parse(text);
      if (!guid.toString().equals(text.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("not canonical");
      }
      return guid;
    } catch (IllegalArgumentException e) {
      throw new CatalogException(origin + ": " + where + ": not a GUID: '" + text + "'", e);
    }
  }

  private LocalDate date(String text, String where) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new CatalogException(
          origin + ": " + where + ": not an ISO date (yyyy-mm-dd): '" + text + "'", e);
    }
  }

  private <E extends Enum<E>> E enumValue(Class<E> type, JsonNode n, String field, String where) {
    String text = text(n, field, where);
    String constant = text.toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(constant)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(jsonName(e));
    }
    throw error(where + "." + field, "must be one of " + allowed + ": '" + text + "'");
  }

  /** The JSON spelling of an enum constant: lower case with hyphens. */
  static String jsonName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private <T> List<T> list(JsonNode n, String field, String where, EntryParser<T> parser) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw error(where + "." + field, "must be an array");
    }
    List<T> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      out.add(parser.parse(v.get(i), where + "." + field + "[" + i + "]"));
    }
    return out;
  }

  private CatalogException error(String where, String problem) {
    return new CatalogException(origin + ": " + where + ": " + problem);
  }
}
