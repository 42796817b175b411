package io.github.kmsj.sim;

import java.util.List;

/**
 * An application a scenario's fleets count under: each host counts each application on its own.
 *
 * @param key a short name for column headers ({@code windows}, {@code office}, {@code office2010})
 * @param name the catalog's name
 * @param id the application ID
 * @param thresholds the N policies of the fleets on it, ascending (25 for Windows clients, 5 for
 *     Windows Server and Office)
 */
public record Application(String key, String name, String id, List<Integer> thresholds) {
  /** Copies the list. */
  public Application {
    thresholds = List.copyOf(thresholds);
  }
}
