package io.vigil.rules.template;

import io.vigil.promql.parser.GoFloat;
import io.vigil.promql.parser.GoQuote;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Go's fmt.Sprintf for the values templates hold: verbs v s d f F e E g G q x X t c o b U T and %%,
 * flags {@code + - # space 0}, width and precision (also {@code *}), and Go's error markers
 * ({@code %!d(string=x)}, {@code %!v(MISSING)}, {@code %!(EXTRA ...)}, {@code %!(NOVERB)}). Floats
 * are rounded from their exact binary value, half to even, as strconv does.
 */
final class GoFormat {
  private GoFormat() {}

  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder(format.length() + 16);
    int argIndex = 0;
    int n = format.length();
    for (int i = 0; i < n; ) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      Spec spec = new Spec();
      // flags
      flags:
      while (i < n) {
        switch (format.charAt(i)) {
          case '+' -> spec.plus = true;
          case '-' -> spec.minus = true;
          case '#' -> spec.sharp = true;
          case ' ' -> spec.space = true;
          case '0' -> spec.zero = true;
          default -> {
            break flags;
          }
        }
        i++;
      }
      // width
      if (i < n && format.charAt(i) == '*') {
        i++;
        if (argIndex < args.size() && args.get(argIndex) instanceof Long w) {
          spec.width = (int) Math.min(Math.abs(w), 1 << 20);
          spec.minus |= w < 0;
        } else {
          out.append("%!(BADWIDTH)");
        }
        argIndex++;
      } else {
        int start = i;
        while (i < n && Character.isDigit(format.charAt(i))) {
          i++;
        }
        if (i > start) {
          spec.width = (int) Math.min(Long.parseLong(format.substring(start, Math.min(i, start + 7))), 1 << 20);
        }
      }
      // precision
      if (i < n && format.charAt(i) == '.') {
        i++;
        if (i < n && format.charAt(i) == '*') {
          i++;
          if (argIndex < args.size() && args.get(argIndex) instanceof Long pr && pr >= 0) {
            spec.prec = (int) Math.min(pr, 1 << 20);
          } else {
            out.append("%!(BADPREC)");
          }
          argIndex++;
        } else {
          int start = i;
          while (i < n && Character.isDigit(format.charAt(i))) {
            i++;
          }
          spec.prec = i > start ? (int) Math.min(Long.parseLong(format.substring(start, Math.min(i, start + 7))), 1 << 20)
              : 0;
        }
      }
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argIndex >= args.size()) {
        out.append("%!").appendCodePoint(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(argIndex++);
      out.append(format(spec, verb, arg));
    }
    if (argIndex < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argIndex; k < args.size(); k++) {
        if (k > argIndex) {
          out.append(", ");
        }
        Object a = args.get(k);
        out.append(GoValues.typeName(a)).append('=').append(GoValues.print(a));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static final class Spec {
    boolean plus;
    boolean minus;
    boolean sharp;
    boolean space;
    boolean zero;
    int width = -1;
    int prec = -1;
  }

  private static String format(Spec s, int verb, Object arg) {
    if (verb == 'T') {
      return pad(s, GoValues.typeName(arg), false);
    }
    if (arg instanceof GoValues.GoTime || arg instanceof GoValues.GoDuration) {
      arg = GoValues.print(arg); // Stringers print through String() for v, s and q
    }
    return switch (arg) {
      case Double d -> formatFloat(s, verb, d);
      case Long l -> formatInt(s, verb, l);
      case Boolean b -> verb == 'v' || verb == 't' ? pad(s, b.toString(), false) : bad(verb, arg);
      case String str -> formatString(s, verb, str, arg);
      case GoValues.SafeHtml h -> formatString(s, verb, h.text(), arg);
      case null -> verb == 'v' ? pad(s, "<nil>", false) : "%!" + Character.toString(verb) + "(<nil>)";
      case GoValues.GoNil nil when nil == GoValues.NIL ->
          verb == 'v' ? pad(s, "<nil>", false) : "%!" + Character.toString(verb) + "(<nil>)";
      case GoValues.GoNil nil -> verb == 'v' ? pad(s, "<nil>", false) : bad(verb, arg);
      default -> verb == 'v' || verb == 's' ? pad(s, GoValues.print(arg), false) : bad(verb, arg);
    };
  }

  private static String bad(int verb, Object arg) {
    return "%!" + Character.toString(verb) + "(" + GoValues.typeName(arg) + "=" + GoValues.print(arg) + ")";
  }

  private static String formatString(Spec s, int verb, String str, Object arg) {
    String t = str;
    if (s.prec >= 0 && (verb == 's' || verb == 'v' || verb == 'q')) {
      int cps = t.codePointCount(0, t.length());
      if (s.prec < cps) {
        t = t.substring(0, t.offsetByCodePoints(0, s.prec));
      }
    }
    return switch (verb) {
      case 'v', 's' -> pad(s, t, false);
      case 'q' -> pad(s, s.sharp && !t.contains("`") ? "`" + t + "`" : GoQuote.quote(t), false);
      case 'x', 'X' -> {
        StringBuilder sb = new StringBuilder();
        byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < bytes.length; k++) {
          if (s.space && k > 0) {
            sb.append(' ');
          }
          String h = String.format("%02x", bytes[k] & 0xff);
          sb.append(verb == 'X' ? h.toUpperCase(java.util.Locale.ROOT) : h);
        }
        yield pad(s, sb.toString(), false);
      }
      default -> bad(verb, arg);
    };
  }

  private static String formatInt(Spec s, int verb, long v) {
    String digits;
    switch (verb) {
      case 'v', 'd' -> digits = Long.toString(Math.abs(v));
      case 'x' -> digits = Long.toHexString(Math.abs(v));
      case 'X' -> digits = Long.toHexString(Math.abs(v)).toUpperCase(java.util.Locale.ROOT);
      case 'o' -> digits = Long.toOctalString(Math.abs(v));
      case 'b' -> digits = Long.toBinaryString(Math.abs(v));
      case 'c' -> {
        return pad(s, v >= 0 && v <= Character.MAX_CODE_POINT ? new String(Character.toChars((int) v)) : "\uFFFD",
            false);
      }
      case 'q' -> {
        return pad(s, v >= 0 && v <= Character.MAX_CODE_POINT ? GoQuote.quoteRune((int) v) : "'\\ufffd'", false);
      }
      case 'U' -> {
        return pad(s, String.format("U+%04X", v), false);
      }
      case 'e', 'E', 'f', 'F', 'g', 'G' -> {
        return "%!" + Character.toString(verb) + "(int=" + v + ")";
      }
      default -> {
        return bad(verb, v);
      }
    }
    if (v == Long.MIN_VALUE) {
      digits = switch (verb) {
        case 'x' -> "8000000000000000";
        case 'X' -> "8000000000000000";
        case 'o' -> "1000000000000000000000";
        case 'b' -> "1" + "0".repeat(63);
        default -> "9223372036854775808";
      };
    }
    if (s.prec >= 0) {
      s.zero = false;
      if (digits.length() < s.prec) {
        digits = "0".repeat(s.prec - digits.length()) + digits;
      }
      if (s.prec == 0 && v == 0) {
        digits = "";
      }
    }
    if (s.sharp) {
      digits = switch (verb) {
        case 'x' -> "0x" + digits;
        case 'X' -> "0X" + digits;
        case 'o' -> "0" + digits;
        case 'b' -> "0b" + digits;
        default -> digits;
      };
    }
    return signAndPad(s, v < 0, digits);
  }

  private static String signAndPad(Spec s, boolean negative, String body) {
    String sign = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
    if (s.zero && !s.minus && s.width > sign.length() + body.length()) {
      return sign + "0".repeat(s.width - sign.length() - body.length()) + body;
    }
    return pad(s, sign + body, false);
  }

  private static String pad(Spec s, String text, boolean zeros) {
    int len = text.codePointCount(0, text.length());
    if (s.width <= len) {
      return text;
    }
    String fill = (zeros ? "0" : " ").repeat(s.width - len);
    return s.minus ? text + fill : fill + text;
  }

  private static String formatFloat(Spec s, int verb, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      if (verb == 'v' || "eEfFgG".indexOf(verb) >= 0) {
        String t = Double.isNaN(v) ? "NaN" : v > 0 ? (s.plus ? "+Inf" : s.space ? " Inf" : "+Inf") : "-Inf";
        if (Double.isNaN(v) && (s.plus || s.space)) {
          t = (s.plus ? "+" : " ") + t;
        }
        if (!Double.isNaN(v) && v > 0 && !s.plus && !s.space) {
          t = "+Inf";
        }
        return pad(s, t, false);
      }
      return bad(verb, v);
    }
    boolean neg = v < 0 || (v == 0 && 1 / v < 0);
    double a = Math.abs(v);
    String body;
    switch (verb) {
      case 'v', 'g', 'G' -> body = s.prec < 0 ? GoFloat.formatG(a) : formatG(a, s.prec);
      case 'e', 'E' -> body = formatE(a, s.prec < 0 ? 6 : s.prec);
      case 'f', 'F' -> body = formatF(a, s.prec < 0 ? 6 : s.prec);
      case 'x', 'X' -> body = hexFloat(a, s.prec);
      default -> {
        return bad(verb, v);
      }
    }
    if (verb == 'E' || verb == 'G' || verb == 'X') {
      body = body.toUpperCase(java.util.Locale.ROOT);
    }
    return signAndPad(s, neg, body);
  }

  /** %e of a non-negative finite value: d.ddde±XX. */
  static String formatE(double a, int prec) {
    if (a == 0) {
      return (prec > 0 ? "0." + "0".repeat(prec) : "0") + "e+00";
    }
    BigDecimal d = new BigDecimal(a).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale();
    digits = (digits + "0".repeat(prec + 1)).substring(0, prec + 1);
    StringBuilder sb = new StringBuilder().append(digits.charAt(0));
    if (prec > 0) {
      sb.append('.').append(digits, 1, digits.length());
    }
    return sb.append(exponent(exp)).toString();
  }

  private static String exponent(int exp) {
    int e = Math.abs(exp);
    return "e" + (exp < 0 ? '-' : '+') + (e < 10 ? "0" : "") + e;
  }

  /** %f of a non-negative finite value. */
  static String formatF(double a, int prec) {
    return new BigDecimal(a).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** %.Ng of a non-negative finite value: N significant digits, trailing zeros dropped. */
  static String formatG(double a, int prec) {
    int p = prec == 0 ? 1 : prec;
    if (a == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(a).round(new MathContext(p, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale();
    if (exp < -4 || exp >= p) {
      StringBuilder sb = new StringBuilder().append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      return sb.append(exponent(exp)).toString();
    }
    return d.toPlainString();
  }

  /** %x of a float: Go's 0x1.8p+00 form (shortest mantissa unless a precision is given). */
  private static String hexFloat(double a, int prec) {
    if (a == 0) {
      return "0x0p+00";
    }
    String j = Double.toHexString(a); // 0x1.8p0, or 0x0.8p-1022 for subnormals
    int p = j.indexOf('p');
    String mantissa = j.substring(2, p);
    int exp = Integer.parseInt(j.substring(p + 1));
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    if (prec >= 0) {
      int dot = mantissa.indexOf('.');
      String frac = dot < 0 ? "" : mantissa.substring(dot + 1);
      frac = frac.length() > prec ? frac.substring(0, prec) : frac + "0".repeat(prec - frac.length());
      mantissa = (dot < 0 ? mantissa : mantissa.substring(0, dot)) + (prec > 0 ? "." + frac : "");
    }
    int e = Math.abs(exp);
    return "0x" + mantissa + "p" + (exp < 0 ? '-' : '+') + (e < 10 ? "0" : "") + e;
  }
}
