package io.vigil.server;

import io.vigil.config.AlertmanagerConfig;
import io.vigil.config.Config;
import io.vigil.config.RemoteWriteConfig;
import io.vigil.config.ScrapeConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings a Prometheus configuration may carry that Vigil validates but does not act on yet. A
 * user who moves a prometheus.yml over must learn that, say, their remote_write to Thanos sends
 * nothing, instead of finding out from a gap in Thanos: the server logs these at every (re)load and
 * {@code vigil check config} prints them.
 */
final class UnsupportedSettings {
  private UnsupportedSettings() {}

  /** One human-readable line per ignored setting; empty when there is none. */
  static List<String> of(Config c) {
    List<String> out = new ArrayList<>();
    List<RemoteWriteConfig> rw = c.remoteWriteConfigs();
    if (!rw.isEmpty()) {
      out.add("remote_write: sending to other systems is not implemented yet; " + rw.size()
          + " endpoint(s) ignored (" + String.join(", ", rw.stream().map(RemoteWriteConfig::url).map(UnsupportedSettings::hostOf).toList())
          + ")");
    }
    for (ScrapeConfig s : c.scrapeConfigs()) {
      if (!s.httpClient().proxyUrl().isEmpty()) {
        out.add("scrape_configs[job_name=\"" + s.jobName() + "\"].proxy_url: proxies are not supported yet; targets are scraped directly");
      }
    }
    for (AlertmanagerConfig am : c.alerting().alertmanagers()) {
      if (!am.httpClient().proxyUrl().isEmpty()) {
        out.add("alerting.alertmanagers[].proxy_url: proxies are not supported yet; Alertmanagers are contacted directly");
      }
    }
    return out;
  }

  /** The scheme and host of a URL, so that credentials in it never reach a log line. */
  private static String hostOf(String url) {
    try {
      URI u = new URI(url);
      return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    } catch (URISyntaxException e) {
      return "?";
    }
  }
}
