package io.github.kmsj.examples;

import io.github.kmsj.core.store.StoreException;
import io.github.kmsj.store.postgres.PostgresHostStore;
import io.github.kmsj.store.postgres.StoreCredentials;
import java.nio.file.Path;

/**
 * The {@code --store jdbc:postgresql://…} options of {@code kmsj host}, {@code export} and {@code
 * import}: a {@link PostgresHostStore} shared with the other hosts of a cluster, the data directory
 * holding its local write-ahead log. The credentials come from a file only its owner can read and
 * are never printed.
 */
final class ClusterStore {
  private ClusterStore() {}

  /**
   * The store the options describe.
   *
   * @throws UsageException for a URL that is not PostgreSQL's, a missing or unsafe credentials file
   */
  static PostgresHostStore open(String url, Path credentials, String hostId, Path walDirectory) {
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new UsageException("--store must be a jdbc:postgresql://HOST[:PORT]/DB URL: " + url);
    }
    if (url.contains("password=")) {
      throw new UsageException("--store must not carry a password: put it in --store-credentials");
    }
    if (credentials == null) {
      throw new UsageException(
          "--store needs --store-credentials FILE (user=... and password=...)");
    }
    StoreCredentials c;
    try {
      c = StoreCredentials.read(credentials);
    } catch (StoreException e) {
      throw new UsageException(e.getMessage());
    }
    PostgresHostStore.Builder b =
        PostgresHostStore.builder().connect(url, c).walDirectory(walDirectory);
    if (hostId != null) {
      try {
        b.hostId(hostId);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--host-id " + e.getMessage());
      }
    }
    return b.build();
  }

  /** The URL without its query: what the host prints. */
  static String display(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }
}
