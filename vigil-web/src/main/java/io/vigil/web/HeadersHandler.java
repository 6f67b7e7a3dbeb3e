package io.vigil.web;

import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Adds the web config's http_server_config.headers (e.g. Strict-Transport-Security) to every response. */
final class HeadersHandler extends Handler.Wrapper {
  private final Map<String, String> headers;

  HeadersHandler(Map<String, String> headers, Handler next) {
    super(next);
    this.headers = Map.copyOf(headers);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    return super.handle(request, response, callback);
  }
}
