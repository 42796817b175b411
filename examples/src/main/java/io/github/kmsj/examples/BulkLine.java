package io.github.kmsj.examples;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.Guid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of {@code kmsj probe --clients FILE}: {@code CMID,WORKSTATION[,PRODUCT]}, the product a
 * catalog name or KMS counted ID (default: the probe's product).
 *
 * @param line the line number, from 1
 * @param cmid the client machine ID
 * @param workstation the workstation name
 * @param product the product, when the line names one
 */
record BulkLine(int line, Guid cmid, String workstation, Optional<KmsCountedProduct> product) {

  /** {@code CMID workstation}, how the probe names the line in its output. */
  String text() {
    return cmid + " " + workstation;
  }

  /**
   * Reads the whole file before anything is sent, so a bad line costs nothing.
   *
   * @throws UsageException naming the file, the line and what is wrong
   */
  static List<BulkLine> read(Path file, ProductCatalog catalog) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<BulkLine> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i);
      int hash = raw.indexOf('#');
      String text = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
      if (text.isEmpty()) {
        continue;
      }
      String where = file + ":" + (i + 1);
      String[] parts = text.split("\\s*,\\s*", -1);
      if (parts.length < 2 || parts.length > 3) {
        throw new UsageException(
            where + ": expected CMID,WORKSTATION[,PRODUCT], got '" + text + "'");
      }
      Guid cmid;
      try {
        cmid = Guid.parse(parts[0]);
      } catch (IllegalArgumentException e) {
        throw new UsageException(where + ": not a CMID (a GUID): '" + parts[0] + "'");
      }
      String ws = parts[1];
      if (ws.isEmpty() || ws.length() > BaseRequest.MAX_WORKSTATION_NAME) {
        throw new UsageException(
            where + ": the workstation name must be 1-63 characters: '" + ws + "'");
      }
      Optional<KmsCountedProduct> product = Optional.empty();
      if (parts.length == 3 && !parts[2].isEmpty()) {
        String p = parts[2];
        product =
            p.length() == 36 && p.charAt(8) == '-'
                ? catalog.kmsCountedId(parse(p, where))
                : catalog.findProductByName(p);
        if (product.isEmpty()) {
          throw new UsageException(where + ": no single catalog product matches '" + p + "'");
        }
      }
      out.add(new BulkLine(i + 1, cmid, ws, product));
    }
    if (out.isEmpty()) {
      throw new UsageException(file + ": no client line (CMID,WORKSTATION[,PRODUCT])");
    }
    return out;
  }

  private static Guid parse(String text, String where) {
    try {
      return Guid.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(where + ": not a KMS counted ID: '" + text + "'");
    }
  }
}
