#!/bin/sh
# The curl commands of fixtures/pushgateway/http-transcript.md (and of the fixtures README), run
# against $PUSHGATEWAY as a backup script would. Prints "<step> <HTTP status>" per request.
# $FIXTURES is the fixtures/pushgateway directory, $WORK a scratch directory.
set -eu
cd "$WORK"
status() { printf '%s %s\n' "$1" "$(cat "$WORK/code")"; }
req() { # req STEP METHOD PATH [curl args...]
  step=$1 method=$2 path=$3; shift 3
  curl -sS -o "$WORK/out.$step" -w '%{http_code}' -X "$method" "$@" "$PUSHGATEWAY$path" >"$WORK/code"
  status "$step"
}

printf '# HELP backup_last_success_timestamp_seconds Last successful backup.\n# TYPE backup_last_success_timestamp_seconds gauge\nbackup_last_success_timestamp_seconds 1.7e+09\n# HELP backup_bytes_total Bytes backed up.\n# TYPE backup_bytes_total counter\nbackup_bytes_total{repo="r1"} 1024\nbackup_bytes_total{repo="r2"} 2048\n' >body.txt
req 1.1 PUT /metrics/job/backup/instance/host1 --data-binary @body.txt
printf '# TYPE backup_duration_seconds gauge\nbackup_duration_seconds 12.5\n# TYPE backup_bytes_total counter\nbackup_bytes_total{repo="r3"} 4096\n' >body.txt
req 1.2 POST /metrics/job/backup/instance/host1 --data-binary @body.txt
printf 'a_metric 1\n' >body.txt
req 1.9 PUT /metrics/job/nightly --data-binary @body.txt
printf 'a_metric 2\n' >body.txt
req 1.10 PUT /metrics/job/nightly/instance/h2 --data-binary @body.txt
req 1.11 DELETE /metrics/job/nightly
req 1.12 GET /metrics/job/nightly/instance/h2
printf 'm_one 1\n' >body.txt
req 2.1 PUT '/metrics/job/restic/path@base64/L3Zhci90bXA=' --data-binary @body.txt
printf 'm_two 2\n' >body.txt
req 2.2 PUT '/metrics/job@base64/YS9i' --data-binary @body.txt
printf 'm_b64 1\n' >body.txt
req 2.12 PUT '/metrics/job/b64/v@base64/YWI-Pw==' --data-binary @body.txt
req 2.7 PUT '/metrics/job/b64/v3@base64/YWI+' --data-binary @body.txt
req 2.17 PUT /metrics/job/gk/instance --data-binary @body.txt
printf 'm_gk 2\n' >body.txt
req 2.22 PUT '/metrics/job/gk/host/my%20h%C3%B6st' --data-binary @body.txt
printf 'ts_metric 1 1700000000000\n' >body.txt
req 4.2 PUT /metrics/job/body/instance/i2 --data-binary @body.txt
# 5.1: the protobuf body
base64 -d "$FIXTURES/push-body-protobuf-delimited.b64" >b.bin
req 5.1 PUT /metrics/job/proto/instance/p1 -H 'Content-Type: application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited' --data-binary @b.bin
req 1.15 DELETE /metrics/job/proto/instance/p1
# The fixtures README's three pushes (restic_backup_files_total is a gauge there, a counter above)
req restic PUT '/metrics/job/restic/instance/host1/repo@base64/czM6YnVja2V0L3BhdGg=' --data-binary @"$FIXTURES/push-body-restic-backup.txt"
req k10 PUT /metrics/job/k10/namespace/default --data-binary @"$FIXTURES/push-body-k10-histogram-summary.txt"
req stash POST /metrics/job/stash --data-binary @"$FIXTURES/push-body-untyped-no-help.txt"
# The way backup scripts push: a here-document on stdin, POST by default
cat <<END | curl -sS -o /dev/null -w '%{http_code}' --data-binary @- "$PUSHGATEWAY/metrics/job/some_job/instance/some_instance" >"$WORK/code"
# TYPE some_metric counter
some_metric{label="val1"} 42
# TYPE another_metric gauge
# HELP another_metric Just an example.
another_metric 2398.283
END
status heredoc
# A gzip-compressed body
printf 'gz_metric 7\n' | gzip -c >body.gz
req gzip PUT /metrics/job/gz -H 'Content-Encoding: gzip' --data-binary @body.gz
req 3.1 PUT /api/v1/admin/wipe
