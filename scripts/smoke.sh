#!/usr/bin/env bash
# Quick smoke of a running system (spec 50): token, readiness, first connection, full sync,
# poll its batch until final, operation summary. Exit 0 only when all three operations of the
# batch succeeded; 1 on any failure, 2 when the batch did not finish within the poll limit.
#
#   API=https://pms.example.com EMAIL=admin@example.com PASSWORD=... scripts/smoke.sh
#   ENV_FILE=/root/pms.env   TOKEN=...   CID=<connection id>   POLL_LIMIT=30 POLL_INTERVAL=2
set -euo pipefail
# shellcheck source=scripts/lib/api.sh
. "$(dirname "$0")/lib/api.sh"
load_env
POLL_LIMIT="${POLL_LIMIT:-30}"
POLL_INTERVAL="${POLL_INTERVAL:-2}"

get_token

request GET /health/ready
state="$(jq -r '.status // "unknown"' <<<"$BODY" 2>/dev/null || echo unknown)"
if [ "$STATUS" != 200 ] || [ "$state" != up ]; then
  failing="$(jq -r '[.components // {} | to_entries[] | select(.value.status != "up")
                     | "\(.key): \(.value.error // .value.status)"] | join("; ")' <<<"$BODY" 2>/dev/null || true)"
  fail "readiness is $state (HTTP $STATUS)${failing:+: $failing}"
fi
echo "OK: readiness up"

pick_connection
trigger_sync full

batch_status=running
for i in $(seq 1 "$POLL_LIMIT"); do
  request GET "/api/v1/channel-connections/$CID/sync-batches/$BATCH_ID"
  if [ "$STATUS" = 200 ] && json_ok; then
    batch_status="$(jq -r .batch_status <<<"$BODY")"
    echo "Poll $i/$POLL_LIMIT: batch $batch_status ($(jq -r '.status_counts | "✓\(.success) ✗\(.failed) ⟳\(.running) ⋯\(.triggered)"' <<<"$BODY"))"
    [ "$batch_status" = running ] || break
  else
    echo "⚠️  Poll $i/$POLL_LIMIT: HTTP $STATUS, $(error_text)" >&2
  fi
  [ "$i" -lt "$POLL_LIMIT" ] && sleep "$POLL_INTERVAL"
done

if json_ok; then
  jq -r '.operations[]? | [.operation_type, .status, (.error // "")] | @tsv' <<<"$BODY" | print_summary "Error"
fi
case "$batch_status" in
  success)
    done_count="$(jq '[.operations[] | select(.status == "success")] | length' <<<"$BODY")"
    [ "$done_count" -eq 3 ] || fail "batch succeeded with $done_count of 3 operations"
    echo "PASS: full sync succeeded (3/3 operations, batch $BATCH_ID)" ;;
  running)
    echo "FAIL: batch $BATCH_ID still running after $POLL_LIMIT polls (worker offline or queue stuck?)" >&2
    exit 2 ;;
  *)
    fail "full sync batch $BATCH_ID is $batch_status" ;;
esac
