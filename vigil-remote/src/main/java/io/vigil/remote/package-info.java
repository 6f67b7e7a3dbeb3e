/**
 * Prometheus remote write 1.0, both ways.
 *
 * <ul>
 *   <li>{@link io.vigil.remote.RemoteWriteReceiver}: {@code POST /api/v1/write} into an
 *       {@link io.vigil.storage.Appendable}, with limits from {@link io.vigil.remote.RemoteWriteOptions}
 *       and {@code vigil_remote_write_*} self-metrics; its class comment states the status codes.
 *   <li>{@link io.vigil.remote.WriteRequestEncoder} and {@link io.vigil.remote.RemoteWriteClient}: build,
 *       compress and send requests the way Prometheus's sender does (tests, benchmarks, the workload
 *       generator).
 *   <li>{@link io.vigil.remote.WriteRequestParser}: the pull parser of the wire format
 *       ({@code WireFormat} lists the protobuf field numbers relied on).
 * </ul>
 */
package io.vigil.remote;
