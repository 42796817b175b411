package io.github.kmsj.sim;

import java.util.List;
import java.util.Locale;

/**
 * Plain SVG 1.1 charts over days: lines with horizontal threshold lines, and stacked areas. No
 * scripts, no external resources, so any browser or image viewer opens them.
 */
final class SvgChart {
  private static final int WIDTH = 960;
  private static final int HEIGHT = 460;
  private static final int LEFT = 64;
  private static final int RIGHT = 230;
  private static final int TOP = 40;
  private static final int BOTTOM = 48;

  /** Colours that stay apart for the usual few series (Okabe-Ito, colour-blind safe). */
  static final List<String> PALETTE =
      List.of(
          "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000");

  /** One line or layer. */
  record Series(String name, String color, double[] y) {}

  /** A horizontal dashed line at {@code value}. */
  record Threshold(String name, double value) {}

  private SvgChart() {}

  static String lines(
      String title, String yLabel, double[] x, List<Series> series, List<Threshold> thresholds) {
    double yMax = 1;
    for (Series s : series) {
      for (double v : s.y()) {
        yMax = Math.max(yMax, v);
      }
    }
    for (Threshold t : thresholds) {
      yMax = Math.max(yMax, t.value() * 1.1);
    }
    Frame f = new Frame(x, niceCeiling(yMax));
    StringBuilder b = f.open(title, yLabel);
    for (Threshold t : thresholds) {
      double y = f.y(t.value());
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#B00020' stroke-width='1.2'"
                  + " stroke-dasharray='6 4'/>%n",
              LEFT,
              y,
              WIDTH - RIGHT,
              y));
      b.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%.1f' font-size='11' fill='#B00020'>%s</text>%n",
              WIDTH - RIGHT + 4,
              y + 4,
              escape(t.name())));
    }
    int legend = 0;
    for (Series s : series) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < x.length; i++) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", f.x(x[i]), f.y(s.y()[i])));
      }
      b.append(
          String.format(
              "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n",
              s.color(), points.toString().strip()));
      f.legend(b, legend++, s.name(), s.color(), thresholds.size());
    }
    return f.close(b);
  }

  static String stacked(String title, String yLabel, double[] x, List<Series> layers) {
    double yMax = 1;
    double[] top = new double[x.length];
    for (Series s : layers) {
      for (int i = 0; i < x.length; i++) {
        top[i] += s.y()[i];
        yMax = Math.max(yMax, top[i]);
      }
    }
    Frame f = new Frame(x, niceCeiling(yMax));
    StringBuilder b = f.open(title, yLabel);
    double[] base = new double[x.length];
    int legend = 0;
    for (Series s : layers) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < x.length; i++) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", f.x(x[i]), f.y(base[i] + s.y()[i])));
      }
      for (int i = x.length - 1; i >= 0; i--) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", f.x(x[i]), f.y(base[i])));
      }
      for (int i = 0; i < x.length; i++) {
        base[i] += s.y()[i];
      }
      b.append(
          String.format(
              "<polygon fill='%s' fill-opacity='0.85' stroke='none' points='%s'/>%n",
              s.color(), points.toString().strip()));
      f.legend(b, legend++, s.name(), s.color(), 0);
    }
    return f.close(b);
  }

  /** The smallest m × 10^k at or above {@code v}, for m in 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8. */
  static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** The smallest 1, 2 or 5 × 10^k at or above {@code v}: tick spacing. */
  static double niceStep(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
  }

  /** The plot area, axes and legend. */
  private static final class Frame {
    final double x0;
    final double x1;
    final double yMax;

    Frame(double[] x, double yMax) {
      this.x0 = x.length == 0 ? 0 : x[0];
      this.x1 = x.length < 2 ? x0 + 1 : x[x.length - 1];
      this.yMax = yMax;
    }

    double x(double v) {
      return LEFT + (v - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
    }

    double y(double v) {
      return TOP + (1 - v / yMax) * (HEIGHT - TOP - BOTTOM);
    }

    StringBuilder open(String title, String yLabel) {
      StringBuilder b = new StringBuilder();
      b.append("<?xml version='1.0' encoding='UTF-8'?>\n");
      b.append(
          String.format(
              "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d'"
                  + " font-family='sans-serif'>%n",
              WIDTH, HEIGHT, WIDTH, HEIGHT));
      b.append("<rect width='100%' height='100%' fill='white'/>\n");
      b.append(
          String.format(
              "<text x='%d' y='24' font-size='16' font-weight='bold'>%s</text>%n",
              LEFT, escape(title)));
      double step = yMax / 5;
      for (int i = 0; i <= 5; i++) {
        double v = i * step;
        double y = y(v);
        b.append(
            String.format(
                Locale.ROOT,
                "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#DDDDDD'/>%n",
                LEFT,
                y,
                WIDTH - RIGHT,
                y));
        b.append(
            String.format(
                Locale.ROOT,
                "<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%s</text>%n",
                LEFT - 6,
                y + 4,
                label(v)));
      }
      double span = x1 - x0;
      double xStep = niceStep(span / 10);
      for (double v = Math.ceil(x0 / xStep) * xStep; v <= x1 + 1e-9; v += xStep) {
        double x = x(v);
        b.append(
            String.format(
                Locale.ROOT,
                "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#DDDDDD'/>%n",
                x,
                TOP,
                x,
                HEIGHT - BOTTOM));
        b.append(
            String.format(
                Locale.ROOT,
                "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%s</text>%n",
                x,
                HEIGHT - BOTTOM + 16,
                label(v)));
      }
      b.append(
          String.format(
              "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#333333'/>%n",
              LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
      b.append(
          String.format(
              "<text x='%d' y='%d' font-size='12' text-anchor='middle'>day</text>%n",
              LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 10));
      b.append(
          String.format(
              "<text x='16' y='%d' font-size='12' text-anchor='middle'"
                  + " transform='rotate(-90 16 %d)'>%s</text>%n",
              TOP + (HEIGHT - TOP - BOTTOM) / 2,
              TOP + (HEIGHT - TOP - BOTTOM) / 2,
              escape(yLabel)));
      return b;
    }

    void legend(StringBuilder b, int i, String name, String color, int skip) {
      int y = TOP + 8 + (i + skip) * 18 + (skip > 0 ? 10 : 0);
      int x = WIDTH - RIGHT + 16;
      b.append(
          String.format(
              "<rect x='%d' y='%d' width='14' height='10' fill='%s'/>%n", x, y + 58, color));
      b.append(
          String.format(
              "<text x='%d' y='%d' font-size='11'>%s</text>%n", x + 20, y + 67, escape(name)));
    }

    String close(StringBuilder b) {
      return b.append("</svg>\n").toString();
    }

    private static String label(double v) {
      return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
  }
}
