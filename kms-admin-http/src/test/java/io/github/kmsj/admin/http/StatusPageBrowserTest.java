package io.github.kmsj.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.TestProduct;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless chromium: it loads with no console errors, the numbers on it
 * equal the API's, the plot has one point per seeded day at the seeded count (the history is made
 * on the host's manual clock), the search filters the clients, and it fits a phone's width. The
 * screenshots stay in {@code target/} for a look.
 */
final class StatusPageBrowserTest {
  private static final Path TARGET = Path.of("target");

  @Test
  void page_inChromium_showsTheApisNumbersAndTheSeededHistory() throws Exception {
    try (AdminRig rig = new AdminRig();
        Chromium chromium = Chromium.start(1280, 2400)) {
      Map<LocalDate, Integer> expected = seed(rig);
      String base = rig.admin.url();

      chromium.driver.get(base);
      assertEquals("kmsj host: sign in", chromium.driver.getTitle(), "no session: the login form");
      chromium.driver.findElement(By.id("token")).sendKeys(AdminRig.TOKEN);
      chromium.driver.findElement(By.id("login-form")).submit();
      WebDriverWait wait = new WebDriverWait(chromium.driver, Duration.ofSeconds(30));
      wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-loaded")));
      assertEquals("kmsj host", chromium.driver.getTitle());

      JsonNode view = api(rig, "/api/view");
      JsonNode history = api(rig, "/api/history?days=90");
      JsonNode clients = api(rig, "/api/clients");
      JsonNode recent = api(rig, "/api/recent");

      // The counts on the cards are the API's.
      List<WebElement> cards = chromium.driver.findElements(By.cssSelector("#counts .card"));
      assertEquals(view.get("counts").size(), cards.size());
      for (JsonNode c : view.get("counts")) {
        WebElement card =
            chromium.driver.findElement(
                By.cssSelector(
                    "#counts .card[data-application='"
                        + c.get("applicationId").asText()
                        + "'] .value"));
        assertEquals(c.get("currentCount").asText(), card.getText(), c.get("name").asText());
      }
      assertEquals(
          view.at("/requests/KeyManagementServiceTotalRequests").asText(),
          chromium.driver.findElement(By.id("fact-total-requests")).getText());
      assertEquals(
          view.get("hwid").asText(), chromium.driver.findElement(By.id("fact-hwid")).getText());

      // The Windows plot: one point per seeded day, at the count the host had that day, and the
      // dashed threshold lines at 5 and 25.
      String windows = TestProduct.WINDOWS_11_PRO.applicationId().toString();
      List<WebElement> points =
          chromium.driver.findElements(
              By.cssSelector("#history svg[data-application='" + windows + "'] circle.point"));
      Map<LocalDate, Integer> plotted = new TreeMap<>();
      for (WebElement p : points) {
        plotted.put(
            LocalDate.parse(p.getAttribute("data-date")),
            Integer.parseInt(p.getAttribute("data-count")));
      }
      assertEquals(expected, plotted, "the plotted series is the seeded one");
      Map<LocalDate, Integer> fromApi = new TreeMap<>();
      for (JsonNode a : history.get("applications")) {
        if (a.get("applicationId").asText().equals(windows)) {
          a.get("points")
              .forEach(
                  p ->
                      fromApi.put(LocalDate.parse(p.get("date").asText()), p.get("count").asInt()));
        }
      }
      assertEquals(fromApi, plotted, "and the API's");
      List<Integer> thresholds = new ArrayList<>();
      for (WebElement t :
          chromium.driver.findElements(
              By.cssSelector("#history svg[data-application='" + windows + "'] line.threshold"))) {
        thresholds.add(Integer.parseInt(t.getAttribute("data-count")));
      }
      assertEquals(List.of(5, 25), thresholds.stream().sorted().toList());
      // The points lie on the plot, higher counts higher up.
      WebElement highest = null;
      WebElement lowest = null;
      for (WebElement p : points) {
        int c = Integer.parseInt(p.getAttribute("data-count"));
        if (highest == null || c > Integer.parseInt(highest.getAttribute("data-count"))) {
          highest = p;
        }
        if (lowest == null || c < Integer.parseInt(lowest.getAttribute("data-count"))) {
          lowest = p;
        }
      }
      assertTrue(
          Double.parseDouble(highest.getAttribute("cy"))
              < Double.parseDouble(lowest.getAttribute("cy")),
          "SVG y grows downwards");

      // Clients: every one is listed, and the search filters them.
      assertEquals(
          clients.get("count").asInt(),
          chromium.driver.findElements(By.cssSelector("#clients tbody tr")).size());
      WebElement search = chromium.driver.findElement(By.id("client-search"));
      search.sendKeys("lab-");
      wait.until(
          d -> d.findElement(By.id("clients-shown")).getAttribute("data-matching").equals("3"));
      assertEquals(3, chromium.driver.findElements(By.cssSelector("#clients tbody tr")).size());
      for (WebElement row :
          chromium.driver.findElements(By.cssSelector("#clients tbody tr td:first-child"))) {
        assertTrue(row.getText().toLowerCase().contains("lab-"), row.getText());
      }
      search.clear();
      search.sendKeys(" ");
      search.clear();

      // Recent requests and refusals.
      assertEquals(
          recent.get("requests").size(),
          chromium.driver.findElements(By.cssSelector("#recent tbody tr")).size());
      assertEquals(1, chromium.driver.findElements(By.cssSelector("#refusals tbody tr")).size());
      assertTrue(
          chromium
              .driver
              .findElement(By.cssSelector("#refusals tbody"))
              .getText()
              .contains("0xC004F042"));
      // Groups and DNS.
      assertEquals(
          view.get("groups").size(),
          chromium.driver.findElements(By.cssSelector("#groups .group")).size());
      assertEquals(
          "none", chromium.driver.findElement(By.id("dns-enabled")).getAttribute("data-enabled"));

      Files.createDirectories(TARGET);
      screenshot(chromium, 1280, TARGET.resolve("status-page.png"));
      List<String> errors = severe(chromium.console());
      assertTrue(errors.isEmpty(), "console errors: " + errors);

      // A phone: one column, nothing wider than the screen.
      chromium.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
      Object overflow =
          chromium.driver.executeScript(
              "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      assertEquals(0L, ((Number) overflow).longValue(), "no sideways scrolling on a phone");
      screenshot(chromium, 390, TARGET.resolve("status-page-phone.png"));
      assertTrue(severe(chromium.console()).isEmpty());
    }
  }

  @Test
  void page_withAWrongToken_showsTheLoginAgain() throws Exception {
    try (AdminRig rig = new AdminRig();
        Chromium chromium = Chromium.start(800, 600)) {
      chromium.driver.get(rig.admin.url());
      chromium.driver.findElement(By.id("token")).sendKeys("not-the-token-for-this-host");
      chromium.driver.findElement(By.id("login-form")).submit();
      new WebDriverWait(chromium.driver, Duration.ofSeconds(20))
          .until(d -> !d.findElements(By.id("login-error")).isEmpty());
      assertEquals("kmsj host: sign in", chromium.driver.getTitle());
      assertFalse(
          chromium.driver.manage().getCookies().stream()
              .anyMatch(c -> c.getName().equals(Sessions.COOKIE)));
      // The 401 of the refused login is the only error, and it is the browser's own.
      for (String line : severe(chromium.console())) {
        assertTrue(line.contains("status of 401"), "unexpected console message: " + line);
      }
    }
  }

  /**
   * Windows clients on days 0, 3, 10, 20 and 35 of the manual clock (the first batch ages out on
   * day 30), an Office client and one refused request; returns the highest Windows count of each
   * day as the host answered it.
   */
  private static Map<LocalDate, Integer> seed(AdminRig rig) {
    Map<LocalDate, Integer> highest = new TreeMap<>();
    int[][] batches = {{0, 4}, {3, 3}, {10, 8}, {20, 12}, {35, 2}};
    int day = 0;
    int n = 0;
    for (int[] batch : batches) {
      rig.time.advance(Duration.ofDays(batch[0] - day));
      day = batch[0];
      for (int i = 0; i < batch[1]; i++) {
        String name = (n < 3 ? "LAB-" : "desk-") + String.format("%02d", n++);
        ActivationResult r = rig.activate(TestProduct.WINDOWS_11_PRO, name);
        int count =
            r instanceof ActivationResult.Activated a
                ? a.currentClientCount()
                : ((ActivationResult.BelowThreshold) r).currentClientCount();
        highest.merge(LocalDate.ofInstant(rig.time.instant(), ZoneOffset.UTC), count, Math::max);
      }
    }
    rig.activate(TestProduct.OFFICE_LTSC_2021_PRO_PLUS, "desk-office");
    rig.client.activate(
        rig.target(),
        TestProduct.WINDOWS_11_PRO
            .request()
            .randomCmid(new SplittableRandom(11))
            .workstationName("stranger")
            .kmsCountedId(Guid.parse("00000000-1111-2222-3333-444444444444"))
            .build());
    return highest;
  }

  /**
   * The whole page at {@code width} (DevTools' Page.captureScreenshot beyond the viewport, since a
   * headless window is no taller than its screen).
   */
  private static void screenshot(Chromium chromium, int width, Path file) throws Exception {
    chromium.driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 900));
    long height =
        ((Number)
                chromium.driver.executeScript(
                    "window.scrollTo(0, 0); return document.documentElement.scrollHeight;"))
            .longValue();
    Map<String, Object> clip =
        Map.of("x", 0, "y", 0, "width", width, "height", Math.min(height, 10_000), "scale", 1);
    Map<String, Object> shot =
        chromium.driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    Files.write(file, java.util.Base64.getDecoder().decode((String) shot.get("data")));
  }

  private static JsonNode api(AdminRig rig, String path) throws Exception {
    return Exchange.JSON.readTree(rig.get(path, AdminRig.TOKEN).body());
  }

  private static List<String> severe(List<String> console) {
    return console.stream().filter(l -> l.startsWith("SEVERE") || l.startsWith("WARNING")).toList();
  }
}
