package io.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Labels;
import io.vigil.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alert templates as Prometheus runs them: the $labels/$value/... definitions, names, error texts. */
class AlertTemplateTest {
  static final Labels LABELS = Labels.of("alertname", "BackupTooOld", "instance", "host1", "job", "restic",
      "repo", "s3:bucket/path", "severity", "warning");
  static final AlertTemplate.Context CTX = new AlertTemplate.Context(1_795_290_145_028L,
      (q, t) -> List.of(new AlertTemplate.QueryResultSample(Labels.of("__name__", "up", "job", "node"), 1)),
      "http://vm:39090", Labels.of("monitor", "vigil-peer-test"));

  static String expand(String text, double value) throws TemplateException {
    return AlertTemplate.compile("BackupTooOld", text).expand(LABELS, value, CTX).text();
  }

  @Test
  void fixtureAnnotationsExpandAsPrometheusDid() throws Exception {
    // rules.yml and the webhook fixture: "Last success was 90.02k seconds ago (job restic)."
    assertThat(expand("Last success was {{ $value | humanize }} seconds ago (job {{ $labels.job }}).", 90023.5))
        .isEqualTo("Last success was 90.02k seconds ago (job restic).");
    assertThat(expand("Backup on {{ $labels.instance }} is too old", 1)).isEqualTo("Backup on host1 is too old");
    assertThat(expand("Load on {{ $labels.instance }} is {{ $value | humanize }}", 1.11)).isEqualTo("Load on host1 is 1.11");
  }

  @Test
  void variablesAndDataAreThoseOfPrometheus() throws Exception {
    assertThat(expand("{{ $externalLabels.monitor }}|{{ .ExternalLabels.monitor }}|{{ $externalURL }}|{{ .Value }}|"
        + "{{ .Labels.repo }}|{{ $value }}", 42)).isEqualTo("vigil-peer-test|vigil-peer-test|http://vm:39090|42|"
        + "s3:bucket/path|42");
    assertThat(expand("{{ range query \"up\" }}{{ .Labels.job }}={{ .Value }}{{ end }}", 0)).isEqualTo("node=1");
    assertThat(expand("no template here", 0)).isEqualTo("no template here");
  }

  @Test
  void parseErrorsNameTheAlertLikePromtool() {
    // fixtures/prometheus-api/promtool-check-rules-bad-template.stderr.txt
    String promtool = Fixtures.fixtureText("prometheus-api/promtool-check-rules-bad-template.stderr.txt");
    assertThatThrownBy(() -> AlertTemplate.compile("BadTemplate", "{{ $labels.instance "))
        .isInstanceOf(TemplateException.class).hasMessage("template: __alert_BadTemplate:1: unclosed action")
        .satisfies(e -> assertThat(promtool).contains(e.getMessage()));
    assertThatThrownBy(() -> AlertTemplate.compile("X", "{{ nosuch }}"))
        .hasMessage("template: __alert_X:1: function \"nosuch\" not defined");
    assertThatThrownBy(() -> AlertTemplate.compile("X", "{{ $nosuch }}"))
        .hasMessage("template: __alert_X:1: undefined variable \"$nosuch\"");
    assertThatThrownBy(() -> AlertTemplate.compile("X", "line 1\n{{ if }}"))
        .hasMessage("template: __alert_X:2: missing value for if");
  }

  @Test
  void executionErrorsBecomePrometheusErrorTextNeverExceptions() throws Exception {
    // column 112 + the offset in the user's text, because of the definitions Prometheus prepends
    AlertTemplate.Result r = AlertTemplate.compile("X", "{{ humanize \"abc\" }}").expand(LABELS, 1, CTX);
    assertThat(r.failed()).isTrue();
    assertThat(r.text()).isEqualTo("<error expanding template: error executing template __alert_X: template: "
        + "__alert_X:1:115: executing \"__alert_X\" at <humanize \"abc\">: error calling humanize: strconv.ParseFloat: "
        + "parsing \"abc\": invalid syntax>");
    assertThat(r.error()).startsWith("error executing template __alert_X: ");
    r = AlertTemplate.compile("X", "{{ reReplaceAll \"[\" \"\" \"x\" }}").expand(LABELS, 1, CTX);
    assertThat(r.text()).isEqualTo("<error expanding template: panic expanding template __alert_X: regexp: "
        + "Compile(`[`): error parsing regexp: missing closing ]: `[`>");
    r = AlertTemplate.compile("X", "{{ query \"up\" | first | label \"job\" }}{{ query \"x\" }}")
        .expand(LABELS, 1, new AlertTemplate.Context(0, (q, t) -> {
          throw new IllegalStateException("query timed out");
        }, "", Labels.EMPTY));
    assertThat(r.text()).contains("error calling query: query timed out");
    assertThat(AlertTemplate.DEFS).hasSize(112);
  }
}
