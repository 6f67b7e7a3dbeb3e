/**
 * The Prometheus HTTP API v1 ({@code /api/v1/...}) over Vigil's storage contract and PromQL engine.
 *
 * <p>{@link io.vigil.web.api.ApiV1} registers every endpoint on a {@link io.vigil.web.Router}. What
 * the API needs from the rest of Vigil (targets, rules, TSDB statistics, ...) it asks through the
 * narrow interfaces declared here, as Prometheus's {@code web/api/v1/api.go} does; each has an
 * {@code EMPTY} implementation that answers with Prometheus's empty shapes, so the API works before
 * the component behind it exists. The server adapts the real components: records in, records out.
 */
package io.vigil.web.api;
