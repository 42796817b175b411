package io.github.kmsj.core.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Converts the product databases of peer KMS emulators into kmsj catalogs: py-kms's {@code
 * KmsDataBase.xml} and vlmcsd's binary {@code .kmd} data file.
 *
 * <p>Mapping (the same for both inputs):
 *
 * <ul>
 *   <li>Applications, KMS counted IDs (N policy, protocol, retail and preview flags), SKUs (with
 *       their GVLK where the input has one) and host builds map one to one.
 *   <li>Each CSVLK becomes its own host-key group, {@code pykms-<name>} or {@code vlmcsd-<name>},
 *       whose edges are the KMS counted IDs the CSVLK activates, with confidence {@code inferred}
 *       ({@code doubtful-guid} for a name-based version-5 GUID, the peers' placeholders) and a
 *       source naming the file, the CSVLK and the product.
 *   <li>An ID that the reference catalog already has keeps the reference's entry; when the input
 *       maps it differently (another KMS counted ID for a SKU, another N policy, another CSVLK
 *       group id) the difference is an {@link ImportConflict} with both sources.
 *   <li>What kmsj cannot carry (fixed ePIDs, per-application minimum counts, vlmcsd's index fields,
 *       builds without a release date) is listed in {@link ImportResult#unmapped()}.
 * </ul>
 *
 * <p>A malformed input raises one {@link CatalogException} with the position (line and column of
 * the XML, byte offset of the .kmd) and no catalog.
 */
public final class CatalogImport {
  private CatalogImport() {}

  /**
   * Reads py-kms's {@code KmsDataBase.xml} format.
   *
   * @param reference the catalog conflicts are checked against, usually {@link
   *     ProductCatalog#builtIn()}
   * @throws CatalogException if the file cannot be read or is malformed
   */
  public static ImportResult fromPyKms(Path file, ProductCatalog reference) {
    Objects.requireNonNull(reference, "reference");
    byte[] bytes = read(file);
    return new PyKmsDatabaseReader(file.toString(), builder(file, bytes, reference, "pykms"))
        .read(bytes);
  }

  /**
   * Reads vlmcsd's {@code .kmd} data file (format version 2, as {@code vlmcsd -j FILE} loads it).
   *
   * @param reference the catalog conflicts are checked against
   * @throws CatalogException if the file cannot be read or is malformed
   */
  public static ImportResult fromVlmcsd(Path file, ProductCatalog reference) {
    Objects.requireNonNull(reference, "reference");
    byte[] bytes = read(file);
    return new KmdReader(file.toString(), builder(file, bytes, reference, "vlmcsd")).read(bytes);
  }

  private static ImportBuilder builder(
      Path file, byte[] bytes, ProductCatalog reference, String ref) {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    return new ImportBuilder(reference, ref, name, sha256(bytes));
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CatalogException(file + ": cannot read: " + e, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
