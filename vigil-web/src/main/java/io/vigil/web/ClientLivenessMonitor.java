package io.vigil.web;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns that an HTTP/1 client closed its connection while its request is still being handled.
 *
 * <p>Why this exists: Jetty does not read an HTTP/1 connection while a handler runs, so a client's
 * close stays unnoticed until the handler writes, and {@code Request.addFailureListener} does not
 * fire (jetty/jetty.project#10916: "a client network close will be silent until the application
 * tries to read or write"). Go's net/http, and so Prometheus, notices it with a background read.
 *
 * <p>How: the connection's socket is registered with this monitor's own selector for read readiness
 * (a channel may be registered with several selectors; Jetty's is not interested while the handler
 * runs). A readable socket with no bytes available (FIONREAD 0) is at end of stream or was reset:
 * the client is gone. Readable with bytes available (a pipelined request, or a TLS alert) ends the
 * watch without consuming anything, so Jetty later reads them as usual; that case, rare, goes
 * unnoticed. One platform thread per web server; thread-safe.
 */
final class ClientLivenessMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClientLivenessMonitor.class);
  /**
   * The selector also wakes this often, so that a channel Jetty closed while it was registered here
   * is deregistered (its file descriptor is only released then) within this bound.
   */
  private static final long SELECT_TIMEOUT_MS = 1000;

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> changes = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  ClientLivenessMonitor(String name) throws IOException {
    selector = Selector.open();
    thread = Thread.ofPlatform().name(name).daemon().unstarted(this::loop);
    thread.start();
  }

  /** Stops one watch; idempotent. */
  interface Watch extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Calls {@code onGone} (once, on the monitor's thread; it must not block) when the client closes
   * or resets {@code channel}, until the returned watch is closed.
   */
  Watch watch(SocketChannel channel, Runnable onGone) {
    Entry e = new Entry(channel, onGone);
    submit(e::register);
    return () -> submit(e::cancel);
  }

  private void submit(Runnable change) {
    if (closed) {
      return;
    }
    changes.add(change);
    selector.wakeup();
  }

  private void loop() {
    while (!closed) {
      try {
        selector.select(SELECT_TIMEOUT_MS);
        Runnable change;
        while ((change = changes.poll()) != null) {
          change.run();
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (key.attachment() instanceof Entry e) {
            e.onReadable();
          }
        }
      } catch (IOException | RuntimeException ex) {
        if (!closed) {
          log.atWarn().addKeyValue("err", ex.toString()).log("client liveness monitor: select failed");
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    selector.wakeup();
    try {
      thread.join(SELECT_TIMEOUT_MS * 2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    selector.close();
  }

  /** One watched request; all methods run on the monitor's thread. */
  private final class Entry {
    private final SocketChannel channel;
    private final Runnable onGone;
    private SelectionKey key;
    private boolean done;

    Entry(SocketChannel channel, Runnable onGone) {
      this.channel = channel;
      this.onGone = onGone;
    }

    void register() {
      if (done) {
        return;
      }
      try {
        SelectionKey old = channel.keyFor(selector);
        if (old != null && !old.isValid()) {
          // The key of an earlier request on this keep-alive connection is cancelled but not yet
          // deregistered; registering again before that fails.
          selector.selectNow();
        }
        key = channel.register(selector, SelectionKey.OP_READ, this);
      } catch (ClosedChannelException | CancelledKeyException e) {
        gone(); // closed before we could watch it: the client is gone (or the server is closing it)
      } catch (IOException e) {
        done = true;
      }
    }

    void onReadable() {
      if (done) {
        return;
      }
      int available;
      try {
        available = available();
      } catch (IOException e) {
        available = 0; // reset or closed: as gone as end of stream
      }
      if (available == 0) {
        gone();
      } else {
        cancel(); // bytes we must not consume: stop watching
      }
    }

    /** FIONREAD on the socket, without reading (the channel stays in Jetty's non-blocking mode). */
    private int available() throws IOException {
      return channel.socket().getInputStream().available();
    }

    private void gone() {
      cancel();
      try {
        onGone.run();
      } catch (RuntimeException e) {
        log.atWarn().addKeyValue("err", e.toString()).log("client liveness monitor: callback failed");
      }
    }

    void cancel() {
      done = true;
      if (key != null) {
        key.cancel();
        key = null;
      }
    }
  }
}
