package io.vigil.scrape;

/** A target's health as the targets API reports it: unknown until its first scrape ends. */
public enum TargetHealth {
  UP("up"),
  DOWN("down"),
  UNKNOWN("unknown");

  private final String text;

  TargetHealth(String text) {
    this.text = text;
  }

  /** The API spelling: {@code up}, {@code down}, {@code unknown}. */
  public String text() {
    return text;
  }
}
