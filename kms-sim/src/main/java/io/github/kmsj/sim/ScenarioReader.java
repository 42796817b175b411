package io.github.kmsj.sim;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads a scenario file: YAML (or JSON, which is YAML) bound to {@link Scenario}. Every failure is
 * one {@link ScenarioException} whose message names the file, the line and column, and the field:
 * {@code office.yaml:12:7: fleets[1].count: fleet 'office' count must be 1-10000000: 0}.
 */
public final class ScenarioReader {
  private static final ObjectMapper MAPPER =
      YAMLMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();

  private ScenarioReader() {}

  /**
   * Reads {@code file}.
   *
   * @throws ScenarioException if it cannot be read or is not a valid scenario
   */
  public static Scenario read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.getFileName().toString());
    } catch (NoSuchFileException e) {
      throw new ScenarioException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ScenarioException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a scenario from {@code in}; {@code source} names it in messages.
   *
   * @throws ScenarioException if it is not a valid scenario
   */
  public static Scenario read(InputStream in, String source) {
    byte[] bytes;
    try {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ScenarioException(source + ": " + e.getMessage(), e);
    }
    try {
      Scenario s = MAPPER.readValue(bytes, Scenario.class);
      if (s == null) {
        throw new ScenarioException(source + ": the file is empty");
      }
      return s;
    } catch (ValueInstantiationException e) {
      // A record's constructor runs before Jackson reports unknown fields; a misspelt field is
      // the likelier cause of a missing value, so it is named first.
      String unknown = unknownField(bytes);
      throw new ScenarioException(
          source + ":" + where(e.getLocation()) + (unknown != null ? unknown : describe(e)), e);
    } catch (JsonMappingException e) {
      throw new ScenarioException(source + ":" + where(e.getLocation()) + describe(e), e);
    } catch (JacksonException e) {
      throw new ScenarioException(
          source + ":" + where(e.getLocation()) + " " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new ScenarioException(source + ": " + e.getMessage(), e);
    }
  }

  /** The first field, depth first, that the scenario's records do not have; null if none. */
  private static String unknownField(byte[] bytes) {
    try {
      return unknownField(MAPPER.readTree(bytes), Scenario.class, "");
    } catch (IOException e) {
      return null;
    }
  }

  private static String unknownField(JsonNode node, Class<?> type, String path) {
    if (node == null || !node.isObject() || !type.isRecord()) {
      return null;
    }
    Map<String, RecordComponent> known = new TreeMap<>();
    for (RecordComponent c : type.getRecordComponents()) {
      known.put(c.getName(), c);
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      RecordComponent c = known.get(e.getKey());
      String here = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      if (c == null) {
        return " "
            + (path.isEmpty() ? "" : path + ": ")
            + "unknown field '"
            + e.getKey()
            + "' (known: "
            + String.join(", ", known.keySet())
            + ")";
      }
      String found;
      if (c.getGenericType() instanceof ParameterizedType p
          && p.getActualTypeArguments()[0] instanceof Class<?> element
          && e.getValue().isArray()) {
        found = null;
        for (int i = 0; i < e.getValue().size() && found == null; i++) {
          found = unknownField(e.getValue().get(i), element, here + "[" + i + "]");
        }
      } else {
        found = unknownField(e.getValue(), c.getType(), here);
      }
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String where(JsonLocation l) {
    return l == null || l.getLineNr() < 1 ? "" : l.getLineNr() + ":" + l.getColumnNr() + ":";
  }

  private static String describe(JsonMappingException e) {
    String path = path(e);
    String prefix = path.isEmpty() ? " " : " " + path + ": ";
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : u.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", ", " (known: ", ")"));
      return prefix + "unknown field '" + u.getPropertyName() + "'" + known;
    }
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException || cause instanceof ScenarioException) {
      return prefix + cause.getMessage();
    }
    return prefix + firstLine(e.getOriginalMessage());
  }

  /** {@code fleets[1].arrival}, from Jackson's reference chain. */
  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid scenario";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    // Jackson names our records by their Java class; a user knows the scenario's fields only.
    return line.replaceAll("`io\\.github\\.kmsj\\.sim\\.Scenario\\$?(\\w*)`", "$1").strip();
  }
}
