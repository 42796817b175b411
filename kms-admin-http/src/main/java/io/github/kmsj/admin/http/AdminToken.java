package io.github.kmsj.admin.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The bearer token of an {@link AdminHttpServer}, read from a token file: one line of text, at
 * least {@value #MIN_LENGTH} characters. {@link #toString()} never shows it, and {@link #matches}
 * compares in constant time (SHA-256 of both sides, then {@link MessageDigest#isEqual}), so that
 * neither the time nor the length of a wrong guess tells anything about the token.
 */
public final class AdminToken {
  /** The shortest token accepted. */
  public static final int MIN_LENGTH = 16;

  private final byte[] digest;

  private AdminToken(String token) {
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the admin token must be at least " + MIN_LENGTH + " characters: " + token.length());
    }
    this.digest = sha256(token);
  }

  /** The token {@code token}, at least {@value #MIN_LENGTH} characters. */
  public static AdminToken of(String token) {
    return new AdminToken(Objects.requireNonNull(token, "token"));
  }

  /**
   * The token in {@code file} (its first line, trimmed).
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it holds no token or one that is too short
   */
  public static AdminToken read(Path file) throws IOException {
    return new AdminToken(readText(file));
  }

  /**
   * The token of {@code file}, reading the file when it exists; otherwise the file is created with
   * a new random token (256 bits, base64url) and, where the file system has POSIX permissions,
   * owner-only permissions ({@code rw-------}) set at creation, so it is never readable by others,
   * not even briefly.
   *
   * @throws IOException when the file cannot be read or created
   */
  public static AdminToken readOrCreate(Path file, SecureRandom random) throws IOException {
    if (Files.exists(file)) {
      return read(file);
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    boolean posix =
        file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    try {
      Files.createFile(file, attributes);
    } catch (FileAlreadyExistsException raced) {
      return read(file);
    }
    Files.writeString(
        file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    return new AdminToken(token);
  }

  /** The token text of {@code file}, for a client such as {@code kmsj admin}. */
  public static String readText(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String line = text.lines().findFirst().orElse("").strip();
    if (line.isEmpty()) {
      throw new IllegalArgumentException("token file " + file + " holds no token");
    }
    return line;
  }

  /** Whether {@code presented} is this token, in time independent of where they differ. */
  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Never the token. */
  @Override
  public String toString() {
    return "AdminToken[redacted]";
  }
}
