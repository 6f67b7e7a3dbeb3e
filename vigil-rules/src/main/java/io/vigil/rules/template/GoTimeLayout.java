package io.vigil.rules.template;

import io.vigil.rules.template.GoValues.GoTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Go's Time.Format for UTC times, so that {@code (toTime $value).Format "2006-01-02 15:04"} works:
 * the reference-time elements (2006 06 01 1 Jan January 02 2 _2 002 15 03 3 04 4 05 5 PM pm Mon
 * Monday MST, the -0700/Z07:00 zone forms and .000/.999 fractions), everything else copied.
 */
final class GoTimeLayout {
  private GoTimeLayout() {}

  static String format(GoTime t, String layout) {
    ZonedDateTime z = Instant.ofEpochSecond(t.epochSecond(), t.nanos()).atZone(ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(layout.length() + 10);
    int i = 0;
    int n = layout.length();
    while (i < n) {
      String rest = layout.substring(i);
      int used = element(sb, z, rest);
      if (used > 0) {
        i += used;
      } else {
        sb.append(layout.charAt(i++));
      }
    }
    return sb.toString();
  }

  /** Appends the element at the start of {@code s}; returns its length, 0 when none starts there. */
  private static int element(StringBuilder sb, ZonedDateTime z, String s) {
    if (s.startsWith("January")) {
      sb.append(z.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      return 7;
    }
    if (s.startsWith("Jan")) {
      sb.append(z.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      return 3;
    }
    if (s.startsWith("Monday")) {
      sb.append(z.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      return 6;
    }
    if (s.startsWith("Mon")) {
      sb.append(z.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      return 3;
    }
    if (s.startsWith("MST")) {
      sb.append("UTC");
      return 3;
    }
    if (s.startsWith("2006")) {
      sb.append(String.format("%04d", z.getYear()));
      return 4;
    }
    if (s.startsWith("002")) {
      sb.append(String.format("%03d", z.getDayOfYear()));
      return 3;
    }
    for (String zone : new String[] {"Z07:00:00", "-07:00:00", "Z070000", "-070000", "Z07:00", "-07:00", "Z0700",
        "-0700", "Z07", "-07"}) {
      if (s.startsWith(zone)) {
        // UTC: "Z" for the Z forms, a zero offset in the layout's shape otherwise
        sb.append(zone.startsWith("Z") ? "Z" : "+" + zone.substring(1).replace('7', '0'));
        return zone.length();
      }
    }
    if ((s.startsWith(".0") || s.startsWith(",0") || s.startsWith(".9") || s.startsWith(",9"))) {
      char digit = s.charAt(1);
      int k = 1;
      while (k < s.length() && s.charAt(k) == digit) {
        k++;
      }
      if (k == s.length() || !Character.isDigit(s.charAt(k))) {
        String frac = String.format("%09d", z.getNano()).substring(0, Math.min(9, k - 1));
        if (digit == '9') {
          frac = frac.replaceFirst("0+$", "");
          if (!frac.isEmpty()) {
            sb.append(s.charAt(0)).append(frac);
          }
        } else {
          sb.append(s.charAt(0)).append(frac);
        }
        return k;
      }
    }
    String[][] numeric = {{"01", "%02d", "M"}, {"02", "%02d", "d"}, {"03", "%02d", "h"}, {"04", "%02d", "m"},
        {"05", "%02d", "s"}, {"06", "%02d", "y"}, {"_2", "%2d", "d"}, {"15", "%02d", "H"}, {"1", "%d", "M"},
        {"2", "%d", "d"}, {"3", "%d", "h"}, {"4", "%d", "m"}, {"5", "%d", "s"}};
    for (String[] e : numeric) {
      if (s.startsWith(e[0])) {
        int v = switch (e[2]) {
          case "M" -> z.getMonthValue();
          case "d" -> z.getDayOfMonth();
          case "h" -> z.getHour() % 12 == 0 ? 12 : z.getHour() % 12;
          case "H" -> z.getHour();
          case "m" -> z.getMinute();
          case "s" -> z.getSecond();
          default -> z.getYear() % 100;
        };
        sb.append(String.format(e[1], v));
        return e[0].length();
      }
    }
    if (s.startsWith("PM")) {
      sb.append(z.getHour() >= 12 ? "PM" : "AM");
      return 2;
    }
    if (s.startsWith("pm")) {
      sb.append(z.getHour() >= 12 ? "pm" : "am");
      return 2;
    }
    return 0;
  }
}
