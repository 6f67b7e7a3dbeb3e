package io.vigil.rules.template;

/**
 * A template that does not parse, or failed while executing. The message is Go's:
 * {@code template: NAME:LINE: unclosed action} for parse errors,
 * {@code template: NAME:LINE:COL: executing "NAME" at <NODE>: ...} for execution errors.
 */
public final class TemplateException extends Exception {
  public TemplateException(String message) {
    super(message, null, false, false);
  }
}
