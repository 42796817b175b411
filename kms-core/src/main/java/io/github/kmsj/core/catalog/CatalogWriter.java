package io.github.kmsj.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes a catalog in the format {@link CatalogReader} reads, and its canonical form for {@link
 * ProductCatalog#digest()}.
 *
 * <p>The canonical form is the file without {@code version}, as compact JSON with object keys in
 * code-point order and every array of objects sorted by the compact text of its elements (arrays of
 * scalars keep their order). File order, whitespace and the version therefore do not change the
 * digest; any fact does.
 */
final class CatalogWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonMapper PRETTY =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final JsonMapper COMPACT = JsonMapper.builder().build();

  private CatalogWriter() {}

  static String json(ProductCatalog c) {
    try {
      return PRETTY.writeValueAsString(tree(c)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String digest(ProductCatalog c) {
    ObjectNode t = tree(c);
    t.remove("version");
    try {
      byte[] bytes = COMPACT.writeValueAsString(canonical(t)).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static JsonNode canonical(JsonNode n) throws JsonProcessingException {
    if (n.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      var fields = n.properties().iterator();
      while (fields.hasNext()) {
        var e = fields.next();
        sorted.put(e.getKey(), canonical(e.getValue()));
      }
      ObjectNode o = NODES.objectNode();
      sorted.forEach(o::set);
      return o;
    }
    if (n.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      for (JsonNode item : n) {
        items.add(canonical(item));
      }
      if (items.stream().allMatch(JsonNode::isContainerNode)) {
        List<String> keys = new ArrayList<>();
        for (JsonNode item : items) {
          keys.add(COMPACT.writeValueAsString(item));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          order.add(i);
        }
        order.sort(Comparator.comparing(keys::get));
        ArrayNode a = NODES.arrayNode();
        order.forEach(i -> a.add(items.get(i)));
        return a;
      }
      ArrayNode a = NODES.arrayNode();
      items.forEach(a::add);
      return a;
    }
    return n;
  }

  static ObjectNode tree(ProductCatalog c) {
    ObjectNode root = NODES.objectNode();
    root.put("format", CatalogReader.FORMAT);
    root.put("version", c.version());
    ObjectNode sources = root.putObject("sources");
    for (SourceDocument s : c.sources().values()) {
      ObjectNode o = sources.putObject(s.ref());
      o.put("title", s.title());
      put(o, "url", s.url());
      put(o, "repoPath", s.path());
      put(o, "sha256", s.sha256());
    }
    ArrayNode apps = root.putArray("applications");
    for (Application a : c.applications()) {
      apps.addObject().put("id", a.id().toString()).put("name", a.name());
    }
    ArrayNode products = root.putArray("kmsCountedIds");
    for (KmsCountedProduct p : c.kmsCountedIds()) {
      ObjectNode o = products.addObject();
      o.put("id", p.id().toString());
      o.put("name", p.name());
      ArrayNode aliases = o.putArray("aliases");
      p.aliases().forEach(aliases::add);
      o.put("applicationId", p.applicationId().toString());
      o.put("requiredClientCount", p.requiredClientCount());
      o.put("protocolMajorVersion", p.protocolMajorVersion());
      o.put("guidStatus", CatalogReader.jsonName(p.guidStatus()));
      o.put("retail", p.retail());
      o.put("preview", p.preview());
    }
    ArrayNode groups = root.putArray("hostKeyGroups");
    for (HostKeyGroup g : c.groups()) {
      groups.add(group(g));
    }
    ArrayNode skus = root.putArray("skus");
    for (Sku s : c.skus()) {
      ObjectNode o = skus.addObject();
      o.put("skuId", s.skuId().toString());
      o.put("name", s.name());
      o.put("kmsCountedId", s.kmsCountedId().toString());
      put(o, "gvlk", s.gvlk());
    }
    ArrayNode builds = root.putArray("hostBuilds");
    for (HostBuild b : c.hostBuilds()) {
      ObjectNode o = builds.addObject();
      o.put("build", b.build());
      o.put("name", b.name());
      o.put("platformId", b.platformId());
      o.put("releaseDate", b.releaseDate().toString());
      o.put("useForEpid", b.useForEpid());
      o.put("mayBeServer", b.mayBeServer());
      o.put("usesNdr64", b.usesNdr64());
    }
    return root;
  }

  private static ObjectNode group(HostKeyGroup g) {
    ObjectNode o = NODES.objectNode();
    o.put("id", g.id());
    o.put("name", g.name());
    o.put("applicationId", g.applicationId().toString());
    o.put("hostKind", CatalogReader.jsonName(g.hostKind()));
    ArrayNode keys = o.putArray("hostKeys");
    for (HostKey k : g.hostKeys()) {
      ObjectNode ko = keys.addObject();
      ko.put("csvlkId", k.csvlkId().toString());
      ko.put("name", k.name());
      ko.put("role", CatalogReader.jsonName(k.role()));
      ko.put("groupId", k.groupId());
      if (k.keyIdRange().isPresent()) {
        ko.putArray("keyIdRange").add(k.keyIdRange().get().min()).add(k.keyIdRange().get().max());
      } else {
        ko.putNull("keyIdRange");
      }
      put(ko, "releaseDate", k.releaseDate().map(Object::toString));
      put(ko, "note", k.note());
    }
    ArrayNode hb = o.putArray("hostBuilds");
    g.hostBuilds().forEach(hb::add);
    ArrayNode hbi = o.putArray("hostBuildsInferred");
    g.hostBuildsInferred().forEach(hbi::add);
    ArrayNode activates = o.putArray("activates");
    for (CoverageEntry e : g.activates()) {
      ObjectNode eo = activates.addObject();
      eo.put("kmsCountedId", e.kmsCountedId().toString());
      eo.put("name", e.name());
      eo.put("confidence", CatalogReader.jsonName(e.confidence()));
      ObjectNode so = eo.putObject("source");
      so.put("ref", e.source().ref());
      put(so, "url", e.source().url());
      put(so, "path", e.source().path());
      put(so, "row", e.source().row());
      put(so, "item", e.source().item());
      if (!e.onlyHostKeys().isEmpty()) {
        ArrayNode only = eo.putArray("onlyHostKeys");
        e.onlyHostKeys().forEach(k -> only.add(k.toString()));
      }
      put(eo, "basis", e.basis());
    }
    ArrayNode refused = o.putArray("doesNotActivate");
    for (NotedRefusal r : g.doesNotActivate()) {
      refused
          .addObject()
          .put("kmsCountedId", r.kmsCountedId().toString())
          .put("reason", r.reason());
    }
    return o;
  }

  private static void put(ObjectNode o, String field, Optional<String> value) {
    if (value.isPresent()) {
      o.put(field, value.get());
    } else {
      o.putNull(field);
    }
  }
}
