package io.vigil.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link RuleManager}; the server fills them from flags. Use {@link #DEFAULTS} and the
 * with-ers.
 *
 * @param externalUrl the URL Vigil is reachable at (--web.external-url), for generatorURL, the
 *     templates' externalURL and pathPrefix; "" when unknown
 * @param outageTolerance how long an outage may last for the 'for' state of alerts to be restored
 *     from ALERTS_FOR_STATE (--rules.alert.for-outage-tolerance, 1h)
 * @param forGracePeriod minimum time between restart and an alert with a restored 'for' state
 *     firing (--rules.alert.for-grace-period, 10m)
 * @param resendDelay minimum time between two sends of a still firing alert
 *     (--rules.alert.resend-delay, 1m)
 * @param clock evaluation time source (the system clock)
 */
public record RuleOptions(String externalUrl, Duration outageTolerance, Duration forGracePeriod,
    Duration resendDelay, RuleClock clock) {
  public static final RuleOptions DEFAULTS = new RuleOptions("", Duration.ofHours(1), Duration.ofMinutes(10),
      Duration.ofMinutes(1), RuleClock.SYSTEM);

  /** Resolved alerts are kept, and resent, this long (Prometheus's fixed resolvedRetention). */
  public static final Duration RESOLVED_RETENTION = Duration.ofMinutes(15);

  public RuleOptions {
    Objects.requireNonNull(externalUrl, "externalUrl");
    Objects.requireNonNull(clock, "clock");
    if (outageTolerance.isNegative() || forGracePeriod.isNegative() || resendDelay.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    externalUrl = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1) : externalUrl;
  }

  public RuleOptions withExternalUrl(String url) {
    return new RuleOptions(url, outageTolerance, forGracePeriod, resendDelay, clock);
  }

  public RuleOptions withOutageTolerance(Duration d) {
    return new RuleOptions(externalUrl, d, forGracePeriod, resendDelay, clock);
  }

  public RuleOptions withForGracePeriod(Duration d) {
    return new RuleOptions(externalUrl, outageTolerance, d, resendDelay, clock);
  }

  public RuleOptions withResendDelay(Duration d) {
    return new RuleOptions(externalUrl, outageTolerance, forGracePeriod, d, clock);
  }

  public RuleOptions withClock(RuleClock c) {
    return new RuleOptions(externalUrl, outageTolerance, forGracePeriod, resendDelay, c);
  }
}
