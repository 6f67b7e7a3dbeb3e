/**
 * Prometheus relabeling: {@link io.vigil.model.relabel.RelabelConfig} (one rule, validated as
 * Prometheus validates it) and {@link io.vigil.model.relabel.Relabeler} (applies a list of rules to
 * a label set). Used for target relabeling, metric relabeling, write relabeling and alert
 * relabeling alike.
 */
package io.vigil.model.relabel;
