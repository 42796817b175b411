package io.github.kmsj.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.count.ApplicationCounts;
import io.github.kmsj.core.count.CmidEntry;
import io.github.kmsj.core.count.CounterSnapshot;
import io.github.kmsj.core.host.HostIdentity;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes a {@link HostState} as the documented JSON of the package documentation, reads it back,
 * and imports it into a store, so that a host can move to a new machine with its count.
 */
public final class HostStateExporter {

  /** The value of the {@code format} field. */
  public static final String FORMAT = "kmsj-host-state";

  /** The format version this class writes and reads. */
  public static final int VERSION = 1;

  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** An exporter; it holds no state besides its JSON mapper and can be reused. */
  public HostStateExporter() {}

  /** Writes {@code state} to {@code out} as UTF-8 JSON; {@code out} stays open. */
  public void write(HostState state, OutputStream out) throws IOException {
    Objects.requireNonNull(state, "state");
    ObjectNode root = mapper.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("asOf", state.counts().asOf().toString());
    ObjectNode identity = root.putObject("identity");
    identity.put("hwid", state.identity().hwid().toHex());
    ObjectNode ePids = identity.putObject("ePids");
    new TreeMap<>(state.identity().ePids())
        .forEach((group, ePid) -> ePids.put(group, ePid.format()));
    ArrayNode applications = root.putArray("applications");
    for (ApplicationCounts a : state.counts().applications()) {
      ObjectNode app = applications.addObject();
      app.put("applicationId", a.applicationId().toString());
      app.put("highestPolicy", a.highestPolicy());
      ArrayNode entries = app.putArray("entries");
      for (CmidEntry e : a.entries()) {
        ObjectNode entry = entries.addObject();
        entry.put("cmid", e.cmid().toString());
        entry.put("firstSeen", e.firstSeen().toString());
        entry.put("lastSeen", e.lastSeen().toString());
        entry.put("requestCount", e.requestCount());
      }
    }
    ArrayNode clients = root.putArray("clients");
    for (ClientRecord c : state.clients()) {
      ObjectNode client = clients.addObject();
      client.put("cmid", c.cmid().toString());
      client.put("workstationName", c.workstationName());
      client.put("applicationId", c.applicationId().toString());
      client.put("skuId", c.skuId().toString());
      client.put("kmsCountedId", c.kmsCountedId().toString());
      client.put("licenseStatus", c.licenseStatus().value());
      if (c.remote().isPresent() && c.remote().get().getAddress() != null) {
        client.put("remoteAddress", c.remote().get().getAddress().getHostAddress());
        client.put("remotePort", c.remote().get().getPort());
      }
      client.put("firstSeen", c.firstSeen().toString());
      client.put("lastSeen", c.lastSeen().toString());
      client.put("requestCount", c.requestCount());
    }
    mapper.writeValue(new NonClosing(out), root);
  }

  /**
   * Reads a state written by {@link #write}.
   *
   * @throws StoreException naming the field if the JSON is not a valid host state of a known
   *     version
   */
  public HostState read(InputStream in) throws IOException {
    JsonNode root;
    try {
      root = mapper.readTree(in);
    } catch (JsonProcessingException e) {
      throw new StoreException("host state is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new StoreException("host state must be a JSON object");
    }
    if (!FORMAT.equals(text(root, "format", ""))) {
      throw new StoreException(
          "host state has format " + root.get("format") + ", expected \"" + FORMAT + "\"");
    }
    int version = integer(root, "version", "");
    if (version != VERSION) {
      throw new StoreException(
          "host state has version " + version + "; this kmsj reads version " + VERSION);
    }
    try {
      JsonNode id = object(root, "identity", "");
      Map<String, Epid> ePids = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = object(id, "ePids", "identity.").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        ePids.put(f.getKey(), Epid.parse(f.getValue().asText()));
      }
      HostIdentity identity = new HostIdentity(Bytes.fromHex(text(id, "hwid", "identity.")), ePids);
      List<ApplicationCounts> applications = new ArrayList<>();
      for (JsonNode app : array(root, "applications", "")) {
        List<CmidEntry> entries = new ArrayList<>();
        for (JsonNode e : array(app, "entries", "applications[].")) {
          entries.add(
              new CmidEntry(
                  guid(e, "cmid"),
                  instant(e, "firstSeen"),
                  instant(e, "lastSeen"),
                  longValue(e, "requestCount", "entries[].")));
        }
        applications.add(
            new ApplicationCounts(
                guid(app, "applicationId"),
                integer(app, "highestPolicy", "applications[]."),
                entries));
      }
      List<ClientRecord> clients = new ArrayList<>();
      for (JsonNode c : array(root, "clients", "")) {
        Optional<InetSocketAddress> remote = Optional.empty();
        if (c.hasNonNull("remoteAddress")) {
          remote =
              Optional.of(
                  new InetSocketAddress(
                      address(text(c, "remoteAddress", "clients[].")),
                      integer(c, "remotePort", "clients[].")));
        }
        clients.add(
            new ClientRecord(
                guid(c, "cmid"),
                text(c, "workstationName", "clients[]."),
                guid(c, "applicationId"),
                guid(c, "skuId"),
                guid(c, "kmsCountedId"),
                LicenseStatus.of(integer(c, "licenseStatus", "clients[].")),
                remote,
                instant(c, "firstSeen"),
                instant(c, "lastSeen"),
                longValue(c, "requestCount", "clients[].")));
      }
      return new HostState(
          identity, new CounterSnapshot(instant(root, "asOf"), applications), clients);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new StoreException("host state is invalid: " + e.getMessage(), e);
    }
  }

  /**
   * Loads {@code target} and replaces its contents with {@code state} as a snapshot, then flushes.
   * The store stays open; close it before a host opens the same directory.
   *
   * @param replaceExisting whether a store that already holds an identity, counts or clients may be
   *     overwritten
   * @throws StoreException if the store is not empty and {@code replaceExisting} is false, or it
   *     fails
   */
  public void importInto(HostStore target, HostState state, boolean replaceExisting) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(state, "state");
    LoadedState existing = target.load();
    if (!existing.isEmpty() && !replaceExisting) {
      throw new StoreException(
          "refusing to import into "
              + target
              + ": it already holds a host state (pass replaceExisting to overwrite)");
    }
    target.snapshot(state);
    target.flush();
  }

  private static String text(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new StoreException("host state field " + path + field + " must be a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new StoreException("host state field " + path + field + " must be an integer");
    }
    return v.intValue();
  }

  private static long longValue(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new StoreException("host state field " + path + field + " must be an integer");
    }
    return v.longValue();
  }

  private static JsonNode object(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw new StoreException("host state field " + path + field + " must be an object");
    }
    return v;
  }

  private static JsonNode array(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw new StoreException("host state field " + path + field + " must be an array");
    }
    return v;
  }

  private static Guid guid(JsonNode node, String field) {
    return Guid.parse(text(node, field, ""));
  }

  private static Instant instant(JsonNode node, String field) {
    return Instant.parse(text(node, field, ""));
  }

  private static InetAddress address(String literal) {
    if (!IP_LITERAL.matcher(literal).matches()) {
      throw new IllegalArgumentException("remoteAddress must be an IP address literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("remoteAddress is not an IP address: " + literal, e);
    }
  }

  /** Keeps Jackson from closing the caller's stream. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
