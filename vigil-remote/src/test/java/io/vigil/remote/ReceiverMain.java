package io.vigil.remote;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import io.vigil.web.ListenAddress;
import io.vigil.web.Router;
import io.vigil.web.WebOptions;
import io.vigil.web.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The child JVM of {@link RemoteWriteCrashTest}: a TSDB in {@code args[0]} with the receiver on a
 * free loopback port, which it writes to the file {@code args[1]} once it serves. Runs until killed.
 */
public final class ReceiverMain {
  private ReceiverMain() {}

  public static void main(String[] args) throws Exception {
    Tsdb db = Tsdb.open(Path.of(args[0]), TsdbOptions.defaults().withCompactionIntervalMs(0), new PrometheusRegistry());
    Router router = new Router();
    new RemoteWriteReceiver(db, RemoteWriteOptions.defaults(), new PrometheusRegistry()).registerRoutes(router);
    WebServer server = new WebServer(WebOptions.defaults(ListenAddress.parse("127.0.0.1:0")), router, new PrometheusRegistry());
    server.start();
    Path portFile = Path.of(args[1]);
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()));
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
