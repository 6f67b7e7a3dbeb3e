package io.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.promql.parser.GoFloat;
import io.vigil.rules.template.GoValues.AlertData;
import io.vigil.rules.template.GoValues.GoMap;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded randomized tests (the seed is printed; rerun with -Dvigil.seed=N): the parser survives
 * arbitrary input, printing a parse tree and parsing it again is stable, and outputs agree with an
 * independent computation of the same answer.
 */
class TemplatePropertyTest {
  static final long SEED = Long.getLong("vigil.seed", System.nanoTime());
  static final String[] PIECES = {"{{", "}}", "{{-", "-}}", " ", "\n", "if", "else", "end", "range", "with", "define",
      "template", "block", "break", "continue", ".", ".Labels", ".Value", "$x", "$", ":=", "=", "|", "(", ")", "\"s\"",
      "`r`", "'c'", "1", "-2.5", "0x1f", "nil", "true", "printf", "\"%d\"", "humanize", "eq", "and", "len", "index",
      "query", "first", "/*", "*/", ",", "text", "#", "\u00e9", "{{ $x := 1 }}", "{{ end }}", "{{ range $i := 3 }}"};

  @Test
  void arbitraryInputParsesOrFailsCleanly() {
    System.out.println("TemplatePropertyTest seed " + SEED);
    Random rnd = new Random(SEED);
    int parsed = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + rnd.nextInt(14);
      for (int k = 0; k < n; k++) {
        sb.append(PIECES[rnd.nextInt(PIECES.length)]);
      }
      String text = sb.toString();
      try {
        Template t = Template.parse("p", text);
        parsed++;
        String printed = t.root().toString();
        Template again = Template.parse("p", printed);
        assertThat(again.root().toString()).as("seed %d, template %s", SEED, text).isEqualTo(printed);
        t.execute(TemplateCasesTest.DATA, TemplateCasesTest.CTX, new Template.Limits(10_000, 1 << 16, 20));
      } catch (TemplateException | Function.Panic e) {
        assertThat(e.getMessage()).as("seed %d, template %s", SEED, text).startsWith("template: ");
      }
    }
    assertThat(parsed).as("some random inputs parse").isGreaterThan(100);
  }

  @Test
  void outputsAgreeWithAnIndependentComputation() throws Exception {
    Random rnd = new Random(SEED + 1);
    for (int i = 0; i < 3_000; i++) {
      double v = switch (rnd.nextInt(4)) {
        case 0 -> rnd.nextDouble() * 1000;
        case 1 -> (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(30) - 15);
        case 2 -> rnd.nextInt(100_000) / 100.0;
        default -> Math.scalb(rnd.nextDouble(), rnd.nextInt(120) - 60);
      };
      Map<String, String> labels = new TreeMap<>();
      for (int k = rnd.nextInt(5); k > 0; k--) {
        labels.put("l" + rnd.nextInt(100), Integer.toString(rnd.nextInt(1000)));
      }
      AlertData data = new AlertData(GoMap.ofStrings(labels), GoMap.ofStrings(Map.of()), "", v);
      String ctx = "seed " + SEED + ", value " + v + ", labels " + labels;
      // %v is the shortest representation: parsing it back gives the same double
      String plain = run("{{ .Value }}", data);
      assertThat(GoFloat.parseFloat(plain)).as(ctx).isEqualTo(v);
      // %.3f is the exact binary value rounded half-even
      assertThat(run("{{ printf \"%.3f\" .Value }}", data)).as(ctx)
          .isEqualTo((v < 0 && new BigDecimal(v).setScale(3, RoundingMode.HALF_EVEN).signum() == 0 ? "-" : "")
              + new BigDecimal(v).setScale(3, RoundingMode.HALF_EVEN).toPlainString());
      // humanize keeps four significant digits of the value times its SI prefix
      String h = run("{{ humanize .Value }}", data);
      if (v != 0) {
        double back = GoFloat.parseFloat(h.replaceAll("[kMGTPEZYmunpfazy]$", "")) * scale(h);
        assertThat(Math.abs(back - v) / Math.abs(v)).as(ctx + " humanize " + h).isLessThan(5.1e-4);
      }
      // comparisons agree with Java's
      double x = rnd.nextDouble() * 1000;
      assertThat(run("{{ gt .Value " + GoFloat.formatG(x) + (GoFloat.formatG(x).matches("-?\\d+") ? ".0" : "")
          + " }}", data)).as(ctx + " > " + x).isEqualTo(Boolean.toString(v > x));
      // range over a map visits the keys in order
      StringBuilder expected = new StringBuilder();
      labels.forEach((k, val) -> expected.append(k).append('=').append(val).append(';'));
      assertThat(run("{{ range $k, $v := .Labels }}{{ $k }}={{ $v }};{{ end }}", data)).as(ctx)
          .isEqualTo(expected.toString());
    }
  }

  private static double scale(String h) {
    if (h.isEmpty()) {
      return 1;
    }
    String big = "kMGTPEZY";
    String small = "munpfazy";
    char last = h.charAt(h.length() - 1);
    int b = big.indexOf(last);
    if (b >= 0) {
      return Math.pow(1000, b + 1);
    }
    int s = small.indexOf(last);
    return s >= 0 ? Math.pow(1000, -(s + 1)) : 1;
  }

  private static String run(String text, AlertData data) throws TemplateException {
    return Template.parse("t", text).execute(data, TemplateCasesTest.CTX, Template.Limits.DEFAULT);
  }

  @Test
  void deepNestingFailsInsteadOfOverflowing() {
    String deep = "{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}";
    try {
      Template.parse("d", deep);
    } catch (TemplateException e) {
      assertThat(e.getMessage()).contains("nested more than");
    }
    List<String> texts = List.of("{{ if true }}".repeat(3000) + "{{ end }}".repeat(3000));
    for (String t : texts) {
      try {
        Template.parse("d", t);
      } catch (TemplateException e) {
        assertThat(e.getMessage()).contains("nested more than");
      }
    }
  }
}
