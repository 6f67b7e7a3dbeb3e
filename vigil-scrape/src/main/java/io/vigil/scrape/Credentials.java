package io.vigil.scrape;

import io.vigil.config.Authorization;
import io.vigil.config.BasicAuth;
import io.vigil.config.HttpClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The Authorization header of a job's scrapes. Credentials given in files (bearer_token_file,
 * authorization.credentials_file, basic_auth username_file/password_file) are read at every scrape,
 * as Prometheus does, so rotated tokens take effect without a reload; inline ones are encoded once.
 */
final class Credentials {
  private final HttpClientConfig cfg;
  private final String fixedHeader;

  Credentials(HttpClientConfig cfg) {
    this.cfg = cfg;
    this.fixedHeader = readsFiles(cfg) ? null : headerOrNull(cfg);
  }

  private static boolean readsFiles(HttpClientConfig cfg) {
    BasicAuth b = cfg.basicAuth();
    Authorization a = cfg.authorization();
    return (b != null && (!b.usernameFile().isEmpty() || !b.passwordFile().isEmpty()))
        || (a != null && !a.credentialsFile().isEmpty());
  }

  private static String headerOrNull(HttpClientConfig cfg) {
    try {
      return header(cfg);
    } catch (ScrapeFailure e) {
      throw new IllegalStateException(e); // cannot happen without files
    }
  }

  /** The header value for the next request, or null when the job has no authentication. */
  String authorization() throws ScrapeFailure {
    return fixedHeader != null ? fixedHeader : header(cfg);
  }

  private static String header(HttpClientConfig cfg) throws ScrapeFailure {
    BasicAuth b = cfg.basicAuth();
    if (b != null) {
      String user = b.usernameFile().isEmpty() ? b.username() : read(b.usernameFile(), "basic auth username");
      String password = !b.passwordFile().isEmpty() ? read(b.passwordFile(), "basic auth password")
          : b.password() == null ? "" : b.password().value();
      String pair = user + ":" + password;
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    Authorization a = cfg.authorization();
    if (a != null) {
      String credentials = !a.credentialsFile().isEmpty() ? read(a.credentialsFile(), "authorization credentials")
          : a.credentials() == null ? "" : a.credentials().value();
      return a.type() + " " + credentials;
    }
    return null;
  }

  /** The file's content without surrounding white space (Prometheus trims it too). */
  private static String read(String file, String what) throws ScrapeFailure {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ScrapeFailure("unable to read " + what + " file " + file + ": " + e);
    }
  }
}
