package io.github.kmsj.store.postgres;

import io.github.kmsj.core.store.StoreException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * A database user and password, read from a file only its owner can read: two lines, {@code
 * user=NAME} and {@code password=SECRET} (Java properties syntax). The password is never printed:
 * {@link #toString()} names the user only.
 *
 * @param user the database user
 * @param password the password
 */
public record StoreCredentials(String user, String password) {

  /** Null checks. */
  public StoreCredentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /**
   * Reads {@code file}.
   *
   * @throws StoreException naming the file if it is missing, readable by anyone but its owner
   *     (where the file system has POSIX permissions), or lacks {@code user} or {@code password}
   */
  public static StoreCredentials read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StoreException("no credentials file " + file);
    }
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        if (p.contains(PosixFilePermission.GROUP_READ)
            || p.contains(PosixFilePermission.OTHERS_READ)
            || p.contains(PosixFilePermission.GROUP_WRITE)
            || p.contains(PosixFilePermission.OTHERS_WRITE)) {
          throw new StoreException(
              "credentials file " + file + " must be readable by its owner only (chmod 600 it)");
        }
      }
      Properties props = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(r);
      }
      String user = props.getProperty("user");
      String password = props.getProperty("password");
      if (user == null || user.isBlank() || password == null) {
        throw new StoreException(
            "credentials file " + file + " must hold two lines: user=NAME and password=SECRET");
      }
      return new StoreCredentials(user.strip(), password);
    } catch (IOException e) {
      throw new StoreException("cannot read credentials file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "StoreCredentials[user=" + user + "]";
  }
}
