package io.vigil.scrape;

import io.vigil.config.ScrapeProtocol;
import io.vigil.exposition.ExpositionFormat;
import java.util.Locale;

/**
 * Picks the parser for a scrape response's Content-Type as Prometheus 3 does: the three known media
 * types select their format whatever the parameters; a blank, unparsable or unknown type uses the
 * job's {@code fallback_scrape_protocol}, and without one fails the scrape.
 */
final class ContentTypes {
  private ContentTypes() {}

  /** The format, or throws with Prometheus's wording of the problem. */
  static ExpositionFormat formatFor(String contentType, ScrapeProtocol fallback) throws ScrapeFailure {
    if (contentType == null || contentType.isBlank()) {
      if (fallback == null) {
        throw new ScrapeFailure("non-compliant scrape target sending blank Content-Type and no "
            + "fallback_scrape_protocol specified for target");
      }
      return format(fallback);
    }
    int semi = contentType.indexOf(';');
    String mediaType = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    if (!isValidMediaType(mediaType)) {
      if (fallback == null) {
        throw new ScrapeFailure("cannot parse Content-Type \"" + contentType + "\" and no fallback_scrape_protocol for target");
      }
      return format(fallback);
    }
    switch (mediaType) {
      case "text/plain":
        return ExpositionFormat.PROMETHEUS_TEXT;
      case "application/openmetrics-text":
        return ExpositionFormat.OPENMETRICS_TEXT;
      case "application/vnd.google.protobuf":
        return ExpositionFormat.PROMETHEUS_PROTOBUF;
      default:
        if (fallback == null) {
          throw new ScrapeFailure("received unsupported Content-Type \"" + contentType
              + "\" and no fallback_scrape_protocol specified for target");
        }
        return format(fallback);
    }
  }

  static ExpositionFormat format(ScrapeProtocol p) {
    return switch (p) {
      case PROMETHEUS_PROTO -> ExpositionFormat.PROMETHEUS_PROTOBUF;
      case PROMETHEUS_TEXT_0_0_4, PROMETHEUS_TEXT_1_0_0 -> ExpositionFormat.PROMETHEUS_TEXT;
      case OPENMETRICS_TEXT_0_0_1, OPENMETRICS_TEXT_1_0_0 -> ExpositionFormat.OPENMETRICS_TEXT;
    };
  }

  /** token or token/token, as Go's mime.ParseMediaType requires. */
  private static boolean isValidMediaType(String s) {
    int slash = s.indexOf('/');
    if (slash == 0 || slash == s.length() - 1 || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (i == slash) {
        continue;
      }
      if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The Accept header for a job's scrape protocols, built as Prometheus 3 does: descending q
   * weights from 0.6 (five protocols known), the 1.0.0 text formats asking for
   * {@code escaping=underscores} (Vigil keeps legacy metric names), then any type at the lowest weight.
   */
  static String acceptHeader(java.util.List<ScrapeProtocol> protocols) {
    StringBuilder sb = new StringBuilder(256);
    int weight = ScrapeProtocol.values().length + 1;
    for (ScrapeProtocol p : protocols) {
      sb.append(p.mediaType());
      if (p == ScrapeProtocol.PROMETHEUS_TEXT_1_0_0 || p == ScrapeProtocol.OPENMETRICS_TEXT_1_0_0) {
        sb.append(";escaping=underscores");
      }
      sb.append(";q=0.").append(weight).append(',');
      weight--;
    }
    return sb.append("*/*;q=0.").append(weight).toString();
  }
}
