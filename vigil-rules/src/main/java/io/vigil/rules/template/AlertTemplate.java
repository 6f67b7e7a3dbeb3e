package io.vigil.rules.template;

import io.vigil.model.Labels;
import io.vigil.rules.template.GoValues.AlertData;
import io.vigil.rules.template.GoValues.GoMap;
import io.vigil.rules.template.GoValues.Sample;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One alert label or annotation value compiled as Prometheus does it: the text prefixed with
 * {@link #DEFS} (so {@code $labels}, {@code $externalLabels}, {@code $externalURL} and
 * {@code $value} exist), named {@code __alert_<alertname>}, with Prometheus's functions and
 * {@code missingkey=zero}. Parse errors are reported at load time ({@link #compile}); execution
 * errors never throw: {@link #expand} returns Prometheus's {@code <error expanding template: ...>}
 * text and the error for the caller to log. Immutable and thread-safe.
 */
public final class AlertTemplate {
  /** The variable definitions Prometheus puts before every alert template (112 characters on line 1). */
  public static final String DEFS = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
      + "{{$externalURL := .ExternalURL}}{{$value := .Value}}";

  private final Template template;
  private final String source;
  private final boolean plain;

  private AlertTemplate(Template template, String source) {
    this.template = template;
    this.source = source;
    this.plain = !source.contains("{{");
  }

  /**
   * Parses a template of alerting rule {@code alertName}.
   *
   * @throws TemplateException with Go's message, e.g.
   *     {@code template: __alert_BadTemplate:1: unclosed action}
   */
  public static AlertTemplate compile(String alertName, String text) throws TemplateException {
    return new AlertTemplate(Template.parse("__alert_" + alertName, DEFS + text), text);
  }

  /** The template text as written in the rule file. */
  public String source() {
    return source;
  }

  /** A PromQL instant query for the query function: labels and value of each result sample. */
  @FunctionalInterface
  public interface QueryFunction {
    /**
     * @throws Exception whose message becomes the template error ("error calling query: ...")
     */
    List<QueryResultSample> query(String query, long timeMs) throws Exception;
  }

  public record QueryResultSample(Labels labels, double value) {}

  /**
   * What an expansion may use besides the alert.
   *
   * @param timeMs the evaluation time (query runs at it)
   * @param query runs query(); null to make it fail
   * @param externalUrl the external URL ("" when unknown)
   * @param externalLabels the global external labels
   */
  public record Context(long timeMs, QueryFunction query, String externalUrl, Labels externalLabels) {}

  /** An expansion's text, and the error text when it failed (then {@code text} is Prometheus's error marker). */
  public record Result(String text, String error) {
    public boolean failed() {
      return error != null;
    }
  }

  /**
   * Expands the template for an alert with these labels and value. Never throws: a failure gives
   * {@code <error expanding template: error executing template __alert_X: ...>} as text.
   */
  public Result expand(Labels labels, double value, Context ctx) {
    if (plain) {
      return new Result(source, null);
    }
    AlertData data = new AlertData(GoMap.ofStrings(labels.toMap()), GoMap.ofStrings(ctx.externalLabels().toMap()),
        ctx.externalUrl(), value);
    String error;
    try {
      return new Result(template.execute(data, functionContext(ctx), Template.Limits.DEFAULT), null);
    } catch (TemplateException e) {
      error = "error executing template " + template.name() + ": " + e.getMessage();
    } catch (Function.Panic p) {
      error = p.isError() ? p.getMessage() : "panic expanding template " + template.name() + ": " + p.getMessage();
    }
    return new Result("<error expanding template: " + error + ">", error);
  }

  private static Function.Context functionContext(Context ctx) {
    return new Function.Context() {
      @Override
      public List<Sample> query(String q) throws Function.Failure {
        if (ctx.query() == null) {
          throw new Function.Failure("no query function");
        }
        try {
          List<Sample> out = new ArrayList<>();
          for (QueryResultSample s : ctx.query().query(q, ctx.timeMs())) {
            out.add(new Sample(GoMap.ofStrings(s.labels().toMap()), s.value()));
          }
          return out;
        } catch (Exception e) {
          throw new Function.Failure(e.getMessage() == null ? e.toString() : e.getMessage());
        }
      }

      @Override
      public String externalUrl() {
        return ctx.externalUrl();
      }

      @Override
      public String pathPrefix() {
        try {
          String path = URI.create(ctx.externalUrl()).getRawPath();
          return path == null ? "" : path;
        } catch (IllegalArgumentException e) {
          return "";
        }
      }
    };
  }
}
