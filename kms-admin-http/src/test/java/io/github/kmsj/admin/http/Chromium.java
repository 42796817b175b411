package io.github.kmsj.admin.http;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless {@code chromium} driven through its {@code /usr/bin/chromedriver} (packages
 * chromium and chromium-driver; {@code .ci/run} installs them). Never downloads a browser or a
 * driver: both paths are given, so Selenium Manager has nothing to fetch. Started with the flags
 * that keep chromium off the network (no background networking, component updates, sync or QUIC)
 * and a fresh profile. Missing chromium skips the test, except under {@code CI=true}, where it
 * fails.
 */
final class Chromium implements AutoCloseable {
  static final Path BROWSER =
      Path.of(System.getenv().getOrDefault("KMSJ_CHROMIUM", "/usr/bin/chromium"));
  static final Path DRIVER =
      Path.of(System.getenv().getOrDefault("KMSJ_CHROMEDRIVER", "/usr/bin/chromedriver"));

  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;

  private Chromium(int width, int height) {
    try {
      profile = Files.createTempDirectory("kmsj-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  /** A browser with a {@code width} x {@code height} window; skips (fails under CI) without one. */
  static Chromium start(int width, int height) {
    boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    if (!present) {
      String why =
          "no chromium at "
              + BROWSER
              + " with chromedriver at "
              + DRIVER
              + " (apt-get install chromium chromium-driver)";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(why);
      }
      Assumptions.abort(why);
    }
    return new Chromium(width, height);
  }

  /** The browser's console messages since the last call, as {@code LEVEL message} lines. */
  List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage())
        .toList();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteTree(profile.toFile());
    }
  }

  private static void deleteTree(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteTree(c);
      }
    }
    if (!f.delete() && f.exists()) {
      f.deleteOnExit();
    }
  }
}
