package io.github.kmsj.core.catalog;

import java.util.List;

/** Argument checks shared by the catalog's records. */
final class CatalogChecks {

  private CatalogChecks() {}

  static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          what + " must not be blank: " + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  static int requireRange(int value, int min, int max, String what) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + " must be " + min + "–" + max + ": " + value);
    }
    return value;
  }

  static <T> List<T> copy(List<T> list, String what) {
    if (list == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    return List.copyOf(list);
  }
}
