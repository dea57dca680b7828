#!/usr/bin/env bash
# Trigger a channel sync and poll the logs it created until they are final.
# Exit 0 = every operation succeeded, 1 = an operation failed (or a request failed),
# 2 = the operations were not seen final within the poll limit (worker offline?).
#
#   scripts/sync_poll.sh [--cid UUID] [--sync-type availability|pricing|bookings|full]
#                        [--poll-limit 20] [--poll-interval 2]
#   Environment: API, EMAIL + PASSWORD or TOKEN, ENV_FILE (see scripts/lib/api.sh).
# Empty bodies and transient 502s are retried (1, 2, 3, 5, 8 s) instead of ending the run.
set -euo pipefail
# shellcheck source=scripts/lib/api.sh
. "$(dirname "$0")/lib/api.sh"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
SYNC_TYPE=availability
POLL_LIMIT=20
POLL_INTERVAL=2
CID="${CID:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --cid) CID="${2:-}"; shift 2 ;;
    --sync-type) SYNC_TYPE="${2:-}"; shift 2 ;;
    --poll-limit) POLL_LIMIT="${2:-}"; shift 2 ;;
    --poll-interval) POLL_INTERVAL="${2:-}"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "Unknown option: $1" >&2; usage 1 ;;
  esac
done
case "$SYNC_TYPE" in
  availability) NEED='["availability_update"]' ;;
  pricing) NEED='["pricing_update"]' ;;
  bookings) NEED='["bookings_sync"]' ;;
  full) NEED='["availability_update","pricing_update","bookings_sync"]' ;;
  *) fail "invalid --sync-type '$SYNC_TYPE' (availability, pricing, bookings or full)" ;;
esac
[[ "$POLL_LIMIT" =~ ^[0-9]+$ ]] && [ "$POLL_LIMIT" -gt 0 ] || fail "--poll-limit must be a positive number"

load_env
get_token
pick_connection
trigger_sync "$SYNC_TYPE"

summary() { jq -r '.logs[] | [.operation_type, .status, (.task_id // "")] | @tsv' <<<"$BODY" | print_summary; }
for i in $(seq 1 "$POLL_LIMIT"); do
  echo "Poll attempt $i/$POLL_LIMIT..."
  request GET "/api/v1/channel-connections/$CID/sync-logs?batch_id=$BATCH_ID&limit=50"
  if [ "$STATUS" != 200 ] || ! json_ok; then
    echo "⚠️  GET /sync-logs => HTTP $STATUS, ${#BODY} bytes: ${BODY:0:200}, retrying..." >&2
  else
    found="$(jq -c '[.logs[].operation_type] | unique' <<<"$BODY")"
    echo "ℹ️  Found operations: $found (need: $NEED)"
    failed="$(jq -r '[.logs[] | select(.status == "failed" or .status == "cancelled")
                      | "\(.operation_type): \(.error // .status)"] | join("; ")' <<<"$BODY")"
    if [ -n "$failed" ]; then
      summary
      fail "SYNC FAILED: $failed"
    fi
    complete="$(jq --argjson need "$NEED" '[.logs[] | select(.status == "success") | .operation_type] as $ok
                                          | all($need[]; . as $op | $ok | index($op))' <<<"$BODY")"
    if [ "$complete" = true ]; then
      echo "✅ SYNC COMPLETED SUCCESSFULLY (batch $BATCH_ID)"
      summary
      exit 0
    fi
  fi
  [ "$i" -lt "$POLL_LIMIT" ] && sleep "$POLL_INTERVAL"
done
echo "⏳ NOT COMPLETE: $SYNC_TYPE sync of batch $BATCH_ID not final after $POLL_LIMIT polls (worker offline or queue stuck?)" >&2
exit 2
