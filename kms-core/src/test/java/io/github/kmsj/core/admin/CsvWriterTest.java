package io.github.kmsj.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** RFC 4180 quoting, checked against examples and by parsing the output back. */
final class CsvWriterTest {

  @Test
  void record_plainAndSpecialFields_quotedOnlyWhereRfc4180Requires() {
    StringWriter out = new StringWriter();
    new CsvWriter(out)
        .record("a", "b c", "")
        .record("x,y", "say \"hi\"", "two\r\nlines", "lf\nonly");
    assertEquals(
        "a,b c,\r\n\"x,y\",\"say \"\"hi\"\"\",\"two\r\nlines\",\"lf\nonly\"\r\n", out.toString());
  }

  @Property(tries = 300)
  void record_anyFields_parseBackToTheSameFields(@ForAll("rows") List<List<String>> rows) {
    StringWriter out = new StringWriter();
    CsvWriter csv = new CsvWriter(out);
    rows.forEach(csv::record);
    assertEquals(rows, parse(out.toString()));
  }

  @Provide
  Arbitrary<List<List<String>>> rows() {
    Arbitrary<String> field = Arbitraries.strings().withChars("ab,\"\r\n é").ofMaxLength(8);
    return field.list().ofMinSize(1).ofMaxSize(5).list().ofMaxSize(5);
  }

  /** A strict RFC 4180 reader, independent of the writer. */
  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.charAt(i) == '"') {
        i++;
        while (true) {
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < text.length() && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
      }
      while (text.charAt(i) != ',' && text.charAt(i) != '\r') {
        field.append(text.charAt(i++));
      }
      row.add(field.toString());
      field.setLength(0);
      if (text.charAt(i) == ',') {
        i++;
      } else {
        i += 2; // CRLF
        rows.add(row);
        row = new ArrayList<>();
      }
    }
    return rows;
  }
}
