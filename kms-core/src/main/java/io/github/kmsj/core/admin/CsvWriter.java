package io.github.kmsj.core.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;

/**
 * Writes comma-separated values as <a href="https://www.rfc-editor.org/rfc/rfc4180">RFC 4180</a>
 * defines them: records end with CRLF, and a field holding a comma, a double quote, CR or LF is
 * enclosed in double quotes with each of its quotes doubled; other fields are written as they are.
 * Not thread-safe; the writer stays open.
 */
public final class CsvWriter {
  private final Writer out;

  /** A writer of records to {@code out}. */
  public CsvWriter(Writer out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /**
   * Writes one record.
   *
   * @throws UncheckedIOException if the underlying writer fails
   */
  public CsvWriter record(List<String> fields) {
    try {
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(field(fields.get(i)));
      }
      out.write("\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Writes one record. */
  public CsvWriter record(String... fields) {
    return record(List.of(fields));
  }

  /** {@code value} as one RFC 4180 field; null is the empty field. */
  static String field(String value) {
    if (value == null) {
      return "";
    }
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
