package io.vigil.remote;

/**
 * What became of one remote write request.
 *
 * @param status the HTTP status to answer: 204 (every float sample of the request is stored and
 *     durable), 400 (some or all samples were refused for good and must not be resent; the others
 *     are durable), 413 (over a size limit; nothing stored), 415 (not remote write 1.0), 500 (the
 *     storage failed; nothing stored; the sender retries)
 * @param message the reason for a non-204 status, as plain text (first rejections first); "" for 204
 * @param samplesReceived float samples decoded from the request (native histogram samples excluded)
 * @param samplesWritten float samples committed
 * @param samplesRejected float samples refused (by validation or storage)
 */
public record WriteResult(int status, String message, long samplesReceived, long samplesWritten, long samplesRejected) {
  public boolean success() {
    return status == 204;
  }
}
