package io.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.template.GoValues.AlertData;
import io.vigil.rules.template.GoValues.GoMap;
import io.vigil.rules.template.GoValues.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of template → expected output (or Prometheus's error text). Outputs follow Go's
 * text/template and fmt and Prometheus's template functions; the cases marked "Prometheus test"
 * are the expectations of prometheus/template/template_test.go, the others follow Go's documented
 * behaviour. Data: an alert with three labels, value 90123.52399992943, one external label.
 */
class TemplateCasesTest {
  static final AlertData DATA = new AlertData(
      GoMap.ofStrings(Map.of("alertname", "BackupTooOld", "instance", "host1:9100", "job", "restic")),
      GoMap.ofStrings(Map.of("monitor", "vigil")), "http://vigil.example:9090/prefix", 90123.52399992943);

  static final Function.Context CTX = new Function.Context() {
    @Override
    public List<Sample> query(String q) throws Function.Failure {
      return switch (q) {
        case "metric" -> List.of(sample(21, "__name__", "metric", "instance", "b"),
            sample(11, "__name__", "metric", "instance", "a"));
        case "strings" -> List.of(sample(1, "__name__", "s", "__value__", "a"));
        case "1.5" -> List.of(sample(1.5));
        case "bad(" -> throw new Function.Failure("1:5: parse error: unclosed left parenthesis");
        default -> List.of();
      };
    }

    @Override
    public String externalUrl() {
      return "http://vigil.example:9090/prefix";
    }

    @Override
    public String pathPrefix() {
      return "/prefix";
    }
  };

  static Sample sample(double v, String... labels) {
    java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      m.put(labels[i], labels[i + 1]);
    }
    return new Sample(GoMap.ofStrings(m), v);
  }

  /** Expands like Prometheus's Expander.Expand, returning its error text on failure. */
  static String expand(String text) {
    Template t;
    try {
      t = Template.parse("test", text);
    } catch (TemplateException e) {
      return "error parsing template test: " + e.getMessage();
    }
    try {
      return t.execute(DATA, CTX, Template.Limits.DEFAULT);
    } catch (TemplateException e) {
      return "error executing template test: " + e.getMessage();
    } catch (Function.Panic p) {
      return p.isError() ? p.getMessage() : "panic expanding template test: " + p.getMessage();
    }
  }

  static final String EXEC = "error executing template test: template: test:";
  static final String PARSE = "error parsing template test: template: test:";
  static final String STRUCT = "struct { Labels map[string]string; ExternalLabels map[string]string; "
      + "ExternalURL string; Value interface {} }";

  static Stream<Arguments> cases() {
    List<Arguments> c = new ArrayList<>();
    // literals and printing (fmt %v)
    add(c, "plain text", "plain text");
    add(c, "{{ 1 }}", "1"); // Prometheus test
    add(c, "{{ 1.5 }}|{{ 1e6 }}|{{ 100000.0 }}|{{ 1234567.0 }}|{{ 0.0001 }}|{{ 0.00001 }}",
        "1.5|1e+06|100000|1.234567e+06|0.0001|1e-05");
    add(c, "{{ -3 }}|{{ 0x1F }}|{{ 0o17 }}|{{ 0b101 }}|{{ 1_000 }}|{{ 'a' }}|{{ '\\n' }}", "-3|31|15|5|1000|97|10");
    add(c, "{{ true }}|{{ false }}", "true|false");
    add(c, "{{ \"quoted\" }}|{{ `raw\\n` }}|{{ \"tab\\there\" }}", "quoted|raw\\n|tab\there");
    add(c, "{{ .Value }}", "90123.52399992943");
    add(c, "{{ .Labels.instance }}|{{ .Labels.nosuch }}|{{ .ExternalLabels.monitor }}|{{ .ExternalURL }}",
        "host1:9100||vigil|http://vigil.example:9090/prefix");
    add(c, "{{ .Labels }}", "map[alertname:BackupTooOld instance:host1:9100 job:restic]");
    add(c, "{{ . }}", "{map[alertname:BackupTooOld instance:host1:9100 job:restic] map[monitor:vigil] "
        + "http://vigil.example:9090/prefix 90123.52399992943}");
    add(c, "{{ .Nosuch }}", EXEC + "1:3: executing \"test\" at <.Nosuch>: can't evaluate field Nosuch in type "
        + STRUCT);
    add(c, "{{ .Labels.instance.x }}", EXEC + "1:3: executing \"test\" at <.Labels.instance.x>: can't evaluate field x"
        + " in type string");
    add(c, "{{ .Labels.nosuch.x }}", EXEC + "1:3: executing \"test\" at <.Labels.nosuch.x>: can't evaluate field x"
        + " in type string");
    // pipelines and printf
    add(c, "{{ .Value | humanize }}", "90.12k");
    add(c, "{{ .Labels.job | toUpper }}", "RESTIC");
    add(c, "{{ \"a\" | printf \"%s-%s\" \"b\" }}", "b-a");
    add(c, "{{ printf \"%.2f\" .Value }}", "90123.52");
    add(c, "{{ printf \"%d|%5d|%-5d|%05d\" 42 42 42 42 }}", "42|   42|42   |00042");
    add(c, "{{ printf \"%x %X %o %b %#x\" 255 255 8 5 255 }}", "ff FF 10 101 0xff");
    add(c, "{{ printf \"%q\" \"hi\\\"\" }}", "\"hi\\\"\"");
    add(c, "{{ printf \"%v %v %v\" 1 1.5 true }}", "1 1.5 true");
    add(c, "{{ printf \"%s\" 1.5 }}|{{ printf \"%d\" \"x\" }}|{{ printf \"%s\" 3 }}|{{ printf \"%d\" true }}",
        "%!s(float64=1.5)|%!d(string=x)|%!s(int=3)|%!d(bool=true)");
    add(c, "{{ printf \"%d %d\" 1 }}|{{ printf \"%d\" 1 2 }}|{{ printf \"%\" }}", "1 %!d(MISSING)|1%!(EXTRA int=2)|%!(NOVERB)");
    add(c, "{{ printf \"%e\" 123456.789 }}|{{ printf \"%g\" 0.000012345 }}|{{ printf \"%.3g\" 1234.5 }}",
        "1.234568e+05|1.2345e-05|1.23e+03");
    add(c, "{{ printf \"%8.3f|%-8.2f|\" 3.14159 2.5 }}", "   3.142|2.50    |");
    add(c, "{{ printf \"%+d %+.1f % d\" 5 2.25 7 }}", "+5 +2.2  7");
    add(c, "{{ printf \"%.0f %.0f %.0f\" 0.5 1.5 2.5 }}", "0 2 2");
    add(c, "{{ printf \"%x\" \"hi\" }}|{{ printf \"%c\" 65 }}|{{ printf \"%%\" }}|{{ printf \"%t\" true }}",
        "6869|A|%|true");
    add(c, "{{ printf \"%T %T %T %T %T\" 1 1.5 \"s\" .Labels (safeHtml \"x\") }}",
        "int float64 string map[string]string template.HTML");
    add(c, "{{ printf \"%6.2f%%\" 12.3456 }}|{{ printf \"%.3s\" \"abcdef\" }}|{{ printf \"%5s|%-5s|\" \"ab\" \"cd\" }}",
        " 12.35%|abc|   ab|cd   |");
    add(c, "{{ printf \"%v\" nil }}|{{ printf \"%s\" nil }}", "<nil>|%!s(<nil>)");
    add(c, "{{ printf \"%f %v %e\" (parseDuration \"1s\") -0.0 0.0 }}", "1.000000 -0 0.000000e+00");
    add(c, "{{ print 1 2 \"a\" \"b\" 3 }}|{{ println 1 \"a\" }}", "1 2ab3|1 a\n");
    add(c, "{{ html \"<a href='x'>&\" }}|{{ js \"it's <b>\" }}|{{ urlquery \"a b&c/d\" }}",
        "&lt;a href=&#39;x&#39;&gt;&amp;|it\\'s \\u003Cb\\u003E|a+b%26c%2Fd");
    add(c, "{{ html 1 2 }}|{{ urlquery \"x\" 1 }}", "1 2|x1");
    // builtins: len index slice not and or
    add(c, "{{ len .Labels }}|{{ len \"héllo\" }}|{{ len (query \"metric\") }}", "3|6|2");
    add(c, "{{ len 3 }}", EXEC + "1:3: executing \"test\" at <len 3>: error calling len: len of type int");
    add(c, "{{ index .Labels \"job\" }}|{{ index .Labels \"nope\" }}|{{ index \"abc\" 1 }}", "restic||98");
    add(c, "{{ index .Labels 1 }}", EXEC + "1:3: executing \"test\" at <index .Labels 1>: error calling index: "
        + "value has type int; should be string");
    add(c, "{{ index (query \"metric\") 5 }}", EXEC + "1:3: executing \"test\" at <index (query \"metric\") 5>: "
        + "error calling index: index out of range: 5");
    add(c, "{{ index (query \"metric\") 1 | value }}", "11");
    add(c, "{{ slice \"abcdef\" 1 3 }}|{{ slice \"abcdef\" 4 }}|{{ len (slice (query \"metric\") 1) }}", "bc|ef|1");
    add(c, "{{ slice \"abc\" 2 1 }}", EXEC + "1:3: executing \"test\" at <slice \"abc\" 2 1>: error calling slice: "
        + "invalid slice index: 2 > 1");
    add(c, "{{ not true }} {{ not 0 }} {{ not \"\" }} {{ not .Labels }}", "false true true false");
    add(c, "{{ and 1 0 2 }}|{{ and 1 2 }}|{{ or 0 \"\" 3 }}|{{ or 0 \"\" }}|{{ and }}", EXEC
        + "1:63: executing \"test\" at <and>: wrong number of args for and: want at least 1 got 0");
    add(c, "{{ and 1 0 2 }}|{{ and 1 2 }}|{{ or 0 \"\" 3 }}|{{ or 0 \"\" }}", "0|2|3|");
    add(c, "{{ or 1 (index .Labels 1) }}|{{ and 0 (index .Labels 1) }}", "1|0"); // short-circuit
    add(c, "{{ .Labels.job | and true }}", "restic");
    // comparisons
    add(c, "{{ eq 1 1 }} {{ eq 1 2 3 1 }} {{ eq \"a\" \"b\" }} {{ eq .Labels.job \"restic\" }}", "true true false true");
    add(c, "{{ eq 1 1.0 }}", EXEC + "1:3: executing \"test\" at <eq 1 1.0>: error calling eq: incompatible types for"
        + " comparison");
    add(c, "{{ lt 1 2 }} {{ le 2 2 }} {{ gt 3 2 }} {{ ge 1 2 }} {{ ne 1 2 }} {{ lt \"a\" \"b\" }}",
        "true true true false true true");
    add(c, "{{ gt .Value 1000.0 }}", "true");
    add(c, "{{ gt .Value 1000 }}", EXEC + "1:3: executing \"test\" at <gt .Value 1000>: error calling gt: "
        + "incompatible types for comparison");
    add(c, "{{ lt true false }}", EXEC + "1:3: executing \"test\" at <lt true false>: error calling lt: "
        + "invalid type for comparison");
    add(c, "{{ eq 1 }}", EXEC + "1:3: executing \"test\" at <eq 1>: error calling eq: missing argument for comparison");
    add(c, "{{ eq .Labels.nosuch \"\" }}|{{ eq \"x\" nil }}|{{ eq nil nil }}", "true|false|true");
    add(c, "{{ eq (safeHtml \"a\") \"a\" }}", "true");
    // if, with, range
    add(c, "{{ if .Labels.job }}yes{{ end }}|{{ if .Labels.nosuch }}yes{{ else }}no{{ end }}", "yes|no");
    add(c, "{{ if eq .Labels.job \"x\" }}x{{ else if eq .Labels.job \"restic\" }}r{{ else }}o{{ end }}", "r");
    add(c, "{{ if 0 }}a{{ else if \"\" }}b{{ else if 0.0 }}c{{ else }}d{{ end }}", "d");
    add(c, "{{ with .Labels.instance }}[{{ . }}]{{ end }}|{{ with .Labels.nosuch }}x{{ else }}none{{ end }}",
        "[host1:9100]|none");
    add(c, "{{ with .Labels.nosuch }}a{{ else with .Labels.job }}{{ . }}{{ end }}", "restic");
    add(c, "{{ range $k, $v := .Labels }}{{ $k }}={{ $v }};{{ end }}",
        "alertname=BackupTooOld;instance=host1:9100;job=restic;");
    add(c, "{{ range .Labels }}{{ . }},{{ end }}", "BackupTooOld,host1:9100,restic,");
    add(c, "{{ range $i, $e := query \"metric\" }}{{ $i }}:{{ $e.Value }} {{ end }}", "0:21 1:11 ");
    add(c, "{{ range query \"none\" }}x{{ else }}empty{{ end }}", "empty");
    add(c, "{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 3 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}",
        "012|012|none");
    add(c, "{{ range .Labels }}{{ if eq . \"host1:9100\" }}{{ break }}{{ end }}{{ . }};{{ end }}", "BackupTooOld;");
    add(c, "{{ range .Labels }}{{ if eq . \"host1:9100\" }}{{ continue }}{{ end }}{{ . }};{{ end }}",
        "BackupTooOld;restic;");
    add(c, "{{ range 1.5 }}{{ end }}", EXEC + "1:9: executing \"test\" at <1.5>: range can't iterate over 1.5");
    add(c, "{{ range $a, $b := 2 }}{{ end }}", EXEC + "1:19: executing \"test\" at <2>: can't use 2 to iterate over "
        + "more than one variable");
    // variables
    add(c, "{{ $x := 5 }}{{ $x }}|{{ $y := 1 }}{{ $y = 2 }}{{ $y }}", "5|2");
    add(c, "{{ $x := \"outer\" }}{{ if true }}{{ $x := \"inner\" }}{{ $x }}{{ end }}{{ $x }}", "innerouter");
    add(c, "{{ $x := \"a\" }}{{ if true }}{{ $x = \"b\" }}{{ end }}{{ $x }}", "b");
    add(c, "{{ with .Labels }}{{ $.ExternalURL }}{{ end }}", "http://vigil.example:9090/prefix");
    add(c, "{{ $x := .Labels }}{{ $x.job }}", "restic");
    // define, template, block
    add(c, "{{ define \"t\" }}[{{ . }}]{{ end }}{{ template \"t\" .Labels.job }}", "[restic]");
    add(c, "{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}", "1 2"); // Prometheus test
    add(c, "{{ block \"b\" .Labels.job }}<{{ . }}>{{ end }}", "<restic>");
    add(c, "{{ define \"t\" }}{{ $ }}{{ end }}{{ template \"t\" 5 }}|{{ template \"t\" }}", "5|<no value>");
    add(c, "{{ template \"nope\" }}", EXEC + "1:12: executing \"test\" at <{{template \"nope\"}}>: template \"nope\" "
        + "not defined");
    add(c, "{{ define \"t\" }}{{ template \"t\" }}{{ end }}{{ template \"t\" }}", EXEC
        + "1:28: executing \"t\" at <{{template \"t\"}}>: exceeded maximum template depth (100)");
    // white space and comments
    add(c, "a  {{- 1 -}}  b", "a1b");
    add(c, "a \n{{- /* comment */ -}}\n b", "ab");
    add(c, "a{{/* c */}}b|{{ 3 }}-{{ 4 }}|{{1 -}}\n\n y|x \r\n\t{{- 3}}", "ab|3-4|1y|x3");
    add(c, "{{ if\n .Labels.job }}yes{{\nend }}", "yes");
    add(c, "{{-3}}|{{ -3 }}", "-3|-3");
    // Prometheus's functions
    add(c, "{{ humanize 0.0 }}|{{ humanize 1.0 }}|{{ humanize 1234567.0 }}|{{ humanize 0.12 }}|{{ humanize -1500.0 }}"
        + "|{{ humanize 0.000002 }}|{{ humanize 1234567 }}|{{ humanize \"1234567.0\" }}",
        "0|1|1.235M|120m|-1.5k|2u|1.235M|1.235M");
    add(c, "{{ humanize \"one\" }}", EXEC + "1:3: executing \"test\" at <humanize \"one\">: error calling humanize: "
        + "strconv.ParseFloat: parsing \"one\": invalid syntax"); // Prometheus test
    add(c, "{{ humanize .Labels }}", EXEC + "1:3: executing \"test\" at <humanize .Labels>: error calling humanize: "
        + "can't convert map[string]string to float");
    add(c, "{{ humanize1024 1048576.0 }}|{{ humanize1024 0.12 }}|{{ humanize1024 1023.0 }}|{{ humanize1024 1025.0 }}"
        + "|{{ humanize1024 -1 }}|{{ humanize1024 9223372036854775807 }}", "1Mi|0.12|1023|1.001ki|-1|8Ei");
    add(c, "{{ humanizeDuration 0 }}:{{ humanizeDuration 1 }}:{{ humanizeDuration 60 }}:{{ humanizeDuration 3600 }}:"
        + "{{ humanizeDuration 86400 }}:{{ humanizeDuration 90000 }}:{{ humanizeDuration -183845 }}:"
        + "{{ humanizeDuration 899.99 }}", "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s");
    add(c, "{{ humanizeDuration .1 }}:{{ humanizeDuration .0001 }}:{{ humanizeDuration .12345 }}:"
        + "{{ humanizeDuration 60.1 }}:{{ humanizeDuration 1.2345 }}:{{ humanizeDuration 12.345 }}:"
        + "{{ humanizeDuration \"1234567\" }}", "100ms:100us:123.5ms:1m 0s:1.234s:12.35s:14d 6h 56m 7s");
    add(c, "{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:"
        + "{{ 1.23456 | humanizePercentage }}", "-22.22%:0%:12.35%:123.5%"); // Prometheus test
    add(c, "{{ humanizePercentage 1234567 }}", "1.235e+08%");
    add(c, "{{ \"one\" | humanizePercentage }}", EXEC + "1:11: executing \"test\" at <humanizePercentage>: error "
        + "calling humanizePercentage: strconv.ParseFloat: parsing \"one\": invalid syntax"); // Prometheus test
    add(c, "{{ 1435065584.128 | humanizeTimestamp }}|{{ \"1435065584.128\" | humanizeTimestamp }}|"
        + "{{ humanizeTimestamp 0 }}|{{ humanizeTimestamp -1 }}|{{ humanizeTimestamp 9223372036 }}",
        "2015-06-23 13:19:44.128 +0000 UTC|2015-06-23 13:19:44.128 +0000 UTC|1970-01-01 00:00:00 +0000 UTC|"
            + "1969-12-31 23:59:59 +0000 UTC|2262-04-11 23:47:16 +0000 UTC");
    add(c, "{{ humanizeTimestamp -9223372036854775807 }}", EXEC + "1:3: executing \"test\" at <humanizeTimestamp "
        + "-9223372036854775807>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a "
        + "nanoseconds timestamp since it overflows int64");
    add(c, "{{ humanize \"+Inf\" }}:{{ humanize1024 \"-Inf\" }}:{{ humanizeDuration \"NaN\" }}:"
        + "{{ humanizeTimestamp \"+Inf\" }}", "+Inf:-Inf:NaN:+Inf");
    add(c, "{{ (1435065584.128 | toTime).Format \"2006\" }}|{{ (\"1435065584.128\" | toTime).Format \"2006\" }}",
        "2015|2015"); // Prometheus test
    add(c, "{{ (toTime 1435065584.128).Format \"2006-01-02T15:04:05.000Z07:00 Mon Jan _2 3:04PM\" }}",
        "2015-06-23T13:19:44.128Z Tue Jun 23 1:19PM");
    add(c, "{{ (toTime 1435065584).Unix }}|{{ toTime 1435065584 }}|{{ toTime 0.5 }}",
        "1435065584|2015-06-23 13:19:44 +0000 UTC|1970-01-01 00:00:00.5 +0000 UTC");
    add(c, "{{ toDuration 90.5 }}|{{ (toDuration 0.25).Seconds }}|{{ toDuration 0.0015 }}", "1m30.5s|0.25|1.5ms");
    add(c, "{{ \"aa bb CC\" | title }}|{{ \"aa bb CC\" | toUpper }}|{{ \"aA bB CC\" | toLower }}|"
        + "{{ title \"hello-world o'neil foo_bar\" }}", "Aa Bb CC|AA BB CC|aa bb cc|Hello-World O'neil Foo_bar");
    add(c, "{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }} {{ match \"^host1\" .Labels.instance }}",
        "true false true");
    add(c, "{{ match \"(\" \"x\" }}", EXEC + "1:3: executing \"test\" at <match \"(\" \"x\">: error calling match: "
        + "error parsing regexp: missing closing ): `(`");
    add(c, "{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}|{{ reReplaceAll \"(.*):.*\" \"$1\" .Labels.instance }}|"
        + "{{ reReplaceAll \"a*\" \"-\" \"baaac\" }}|{{ reReplaceAll \"(?P<h>[a-z]+)\\\\d\" \"${h}!\" \"host1\" }}|"
        + "{{ reReplaceAll \"(o)\" \"$1x$$\" \"foo\" }}|{{ reReplaceAll \"(o)\" \"${1}x$$\" \"foo\" }}|"
        + "{{ reReplaceAll \"o\" \"$1\" \"foo\" }}",
        "xa|host1|-b-c-|host!|f$$|fox$ox$|f"); // $1x names group "1x", as in Go
    add(c, "{{ reReplaceAll \"(\" \"\" \"x\" }}",
        "panic expanding template test: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`");
    add(c, "{{ graphLink \"up\" }}|{{ tableLink \"rate(x[5m]) > 0\" }}",
        "/graph?g0.expr=up&g0.tab=0|/graph?g0.expr=rate%28x%5B5m%5D%29+%3E+0&g0.tab=1");
    add(c, "{{ \"foo.example.com\" | stripPort }}|{{ \"foo.example.com:12345\" | stripPort }}|"
        + "{{ \"192.0.2.1:12345\" | stripPort }}|{{ \"2001:0DB8::1\" | stripPort }}|"
        + "{{ \"[2001:0DB8::1]:12345\" | stripPort }}|{{ \"[2001:0DB8::1]::12345\" | stripPort }}",
        "foo.example.com|foo.example.com|192.0.2.1|2001:0DB8::1|2001:0DB8::1|[2001:0DB8::1]::12345");
    add(c, "{{ \"foo.example.com\" | stripDomain }}|{{ \"foo.example.com:12345\" | stripDomain }}|"
        + "{{ \"192.0.2.1\" | stripDomain }}|{{ \"192.0.2.1:12345\" | stripDomain }}|{{ \"2001:0DB8::1\" | stripDomain }}|"
        + "{{ \"[2001:0DB8::1]:12345\" | stripDomain }}|{{ \"[2001:0DB8::1]::12345\" | stripDomain }}",
        "foo|foo:12345|192.0.2.1|192.0.2.1:12345|2001:0DB8::1|[2001:0DB8::1]:12345|[2001:0DB8::1]::12345");
    add(c, "{{ pathPrefix }}|{{ externalURL }}", "/prefix|http://vigil.example:9090/prefix");
    add(c, "{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}", "3720.01"); // Prometheus test
    add(c, "{{ parseDuration \"5x\" }}", EXEC + "1:3: executing \"test\" at <parseDuration \"5x\">: error calling "
        + "parseDuration: unknown unit \"x\" in duration \"5x\"");
    add(c, "{{ urlQueryEscape \"a b/c?d=e~\" }}", "a+b%2Fc%3Fd%3De~");
    add(c, "{{ with args 1 \"x\" }}{{ .arg0 }}-{{ .arg1 }}-{{ .arg2 }}{{ end }}", "1-x-<nil>");
    add(c, "{{ \"<b>\" | safeHtml }}", "<b>");
    add(c, "{{ query \"1.5\" | first | value }}", "1.5"); // Prometheus test
    add(c, "{{ query \"metric\" | first | value }}|{{ query \"metric\" | first | label \"instance\" }}|"
        + "{{ query \"metric\" | first | label \"foo\" }}|{{ query \"strings\" | first | strvalue }}", "21|b||a");
    add(c, "{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", ""); // Prometheus test
    add(c, "{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:{{.Value}}: {{end}}",
        "a:11: b:21: "); // Prometheus test
    add(c, "{{ query \"metric\" | first }}", "&{map[__name__:metric instance:b] 21}");
    add(c, "{{ query \"none\" | first }}", EXEC + "1:18: executing \"test\" at <first>: error calling first: first() "
        + "called on vector with no elements");
    add(c, "{{ (query \"none\").banana }}", EXEC + "1:10: executing \"test\" at <\"none\">: can't evaluate field banana "
        + "in type template.queryResult"); // Prometheus test
    add(c, "{{ query \"bad(\" }}", EXEC + "1:3: executing \"test\" at <query \"bad(\">: error calling query: 1:5: parse "
        + "error: unclosed left parenthesis");
    add(c, "{{ label \"x\" nil }}", "runtime error: invalid memory address or nil pointer dereference");
    // argument type errors
    add(c, "{{ toUpper .Value }}", EXEC + "1:11: executing \"test\" at <.Value>: wrong type for value; expected string; "
        + "got float64");
    add(c, "{{ toUpper 3 }}", EXEC + "1:11: executing \"test\" at <3>: expected string; found 3");
    add(c, "{{ humanize }}", EXEC + "1:3: executing \"test\" at <humanize>: wrong number of args for humanize: want 1 "
        + "got 0");
    add(c, "{{ 1 2 }}", EXEC + "1:3: executing \"test\" at <1>: can't give argument to non-function 1");
    add(c, "{{ nil }}", EXEC + "1:3: executing \"test\" at <nil>: nil is not a command");
    add(c, "{{ .Labels.job 1 }}", EXEC + "1:3: executing \"test\" at <.Labels.job>: job is not a method but has "
        + "arguments");
    add(c, "{{ toUpper nil }}", EXEC + "1:11: executing \"test\" at <nil>: cannot assign nil to string");
    add(c, "{{ range 100000000 }}{{ end }}", EXEC + "1:9: executing \"test\" at <{{range 100000000}}{{end}}>: "
        + "template execution exceeds 1000000 steps");
    // parse errors
    add(c, "{{", PARSE + "1: unclosed action"); // Prometheus test
    add(c, "{{ .Labels.instance ", PARSE + "1: unclosed action");
    add(c, "{{ nosuch }}", PARSE + "1: function \"nosuch\" not defined");
    add(c, "line1\n{{ nosuch }}", PARSE + "2: function \"nosuch\" not defined");
    add(c, "line1\n{{\"x\"\n\"y\"\n", PARSE + "4: unclosed action started at test:2");
    add(c, "{{\n\n\n\n\n", PARSE + "6: unclosed action started at test:1");
    add(c, "{{ $x }}", PARSE + "1: undefined variable \"$x\"");
    add(c, "{{ with $x := 4 }}{{ end }}{{ $x }}", PARSE + "1: undefined variable \"$x\"");
    add(c, "{{ end }}", PARSE + "1: unexpected {{end}}");
    add(c, "{{ else }}", PARSE + "1: unexpected {{else}}");
    add(c, "{{ if true }}x", PARSE + "1: unexpected EOF");
    add(c, "{{ if true }}1{{ else }}2{{ else }}3{{ end }}", PARSE + "1: expected end; found {{else}}");
    add(c, "{{ range .Labels }}{{ end }}{{ break }}", PARSE + "1: {{break}} outside {{range}}");
    add(c, "{{ range .Labels }}{{ else }}{{ continue }}{{ end }}", PARSE + "1: {{continue}} outside {{range}}");
    add(c, "{{ printf 3, 4 }}", PARSE + "1: unexpected \",\" in operand");
    add(c, "{{ 12 | printf | 3 }}", PARSE + "1: non executable command in pipeline stage 3");
    add(c, "{{ ( ) }}", PARSE + "1: missing value for parenthesized pipeline");
    add(c, "{{ }}", PARSE + "1: missing value for command");
    add(c, "{{ .X (1 2 }}", PARSE + "1: unclosed left paren");
    add(c, "{{ 1 ) }}", PARSE + "1: unexpected right paren");
    add(c, "{{ \"abc }}", PARSE + "1: unterminated quoted string");
    add(c, "{{ 'a }}", PARSE + "1: unterminated character constant");
    add(c, "{{ `abc }}", PARSE + "1: unterminated raw quoted string");
    add(c, "{{/* x }}", PARSE + "1: unclosed comment");
    add(c, "{{/* x */ }}", PARSE + "1: comment ends before closing delimiter");
    add(c, "{{ 0xz }}", PARSE + "1: bad number syntax: \"0xz\"");
    add(c, "{{ a# }}", PARSE + "1: bad character U+0023 '#'");
    add(c, "{{ \u00a0 }}", PARSE + "1: unrecognized character in action: U+00A0"); // Prometheus test
    add(c, "{{ true.x }}", PARSE + "1: unexpected . after term \"true\"");
    add(c, "{{ $x := 1 }}{{ with $x.y := 3 }}{{ end }}", PARSE + "1: unexpected \":=\" in operand");
    add(c, "{{ range $a, $b, $c := . }}{{ end }}", PARSE + "1: too many declarations in range");
    add(c, "{{ with $a, $b := . }}{{ end }}", PARSE + "1: too many declarations in with");
    add(c, "{{ define \"a\" }}a{{ end }}{{ define \"a\" }}b{{ end }}", PARSE
        + "1: template: multiple definition of template \"a\"");
    add(c, "{{ template .X }}", PARSE + "1: unexpected \".X\" in template clause");
    add(c, "{{ if }}{{ end }}", PARSE + "1: missing value for if");
    add(c, "{{ range }}", PARSE + "1: missing value for range");
    add(c, "{{ /* x */ }}", PARSE + "1: unexpected \"/\" in command");
    return c.stream();
  }

  private static void add(List<Arguments> c, String template, String expected) {
    c.add(Arguments.of(template, expected));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void expandsLikeGoAndPrometheus(String template, String expected) {
    assertThat(expand(template)).isEqualTo(expected);
  }
}
