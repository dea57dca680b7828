#!/usr/bin/env bash
# Booking concurrency check against a running server (spec 50): N (default 10) identical bookings
# sent in parallel on a free window found through the availability API. Passes only with exactly
# one 201 and N-1 409 inventory_overlap; the winning booking is cancelled afterwards (EXIT trap).
# Env: API, EMAIL + PASSWORD or TOKEN, ENV_FILE, PID, N, NIGHTS (default 2, at least the minimum
# stay), SEARCH_FROM_DAYS / SEARCH_TO_DAYS (default 1 / 90). Exit 0 = pass.
set -euo pipefail
# shellcheck source=lib/api.sh
. "$(dirname "$0")/lib/api.sh"

N="${N:-10}"
NIGHTS="${NIGHTS:-2}"
SEARCH_FROM_DAYS="${SEARCH_FROM_DAYS:-1}"
SEARCH_TO_DAYS="${SEARCH_TO_DAYS:-90}"
WORK_DIR="$(mktemp -d)"
WINNERS=()

cleanup() {
  local rc=$?
  for id in "${WINNERS[@]}"; do
    request PATCH "/api/v1/bookings/$id" '{"status": "cancelled"}'
    [ "$STATUS" = 200 ] && info "Cleanup: booking $id cancelled" || warn "Cleanup: booking $id answered $STATUS"
  done
  rm -rf "$WORK_DIR"
  exit "$rc"
}
trap cleanup EXIT

load_env
info "API: $API, N=$N"
get_token
pick_property
MIN_NIGHTS="$(jq -r '.min_stay_nights' <<<"$PROPERTY")"
NIGHTS=$(( NIGHTS > MIN_NIGHTS ? NIGHTS : MIN_NIGHTS ))

find_free_window "$(day "$SEARCH_FROM_DAYS")" "$(day "$SEARCH_TO_DAYS")" "$NIGHTS"
[ -n "$WINDOW_START" ] || fail "no free $NIGHTS-night window between today+$SEARCH_FROM_DAYS and today+$SEARCH_TO_DAYS"
CHECK_OUT="$(plus_days "$WINDOW_START" "$NIGHTS")"
info "Free window $WINDOW_START to $CHECK_OUT on $(jq -r '.name' <<<"$PROPERTY") ($PID)"
jq -nc --arg p "$PID" --arg i "$WINDOW_START" --arg o "$CHECK_OUT" \
  '{property_id: $p, check_in: $i, check_out: $o, notes: "booking concurrency check"}' > "$WORK_DIR/body.json"

for i in $(seq 1 "$N"); do
  curl -sS -L -o "$WORK_DIR/response.$i" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    -H "Content-Type: application/json" --data-binary "@$WORK_DIR/body.json" "$API/api/v1/bookings/" \
    > "$WORK_DIR/status.$i" 2>/dev/null &
done
wait

created=0 conflicts=0 other=0
for i in $(seq 1 "$N"); do
  status="$(cat "$WORK_DIR/status.$i" 2>/dev/null || echo 000)"
  case "$status" in
    201) created=$(( created + 1 )); WINNERS+=("$(jq -r '.id' "$WORK_DIR/response.$i")") ;;
    409) jq -e '.conflict_type == "inventory_overlap"' "$WORK_DIR/response.$i" >/dev/null \
           && conflicts=$(( conflicts + 1 )) || other=$(( other + 1 )) ;;
    *) other=$(( other + 1 )); warn "request $i answered $status: $(head -c 200 "$WORK_DIR/response.$i" 2>/dev/null)" ;;
  esac
done
info "Results: 201 x $created, 409 inventory_overlap x $conflicts, other x $other"
[ "$created" -eq 1 ] && [ "$conflicts" -eq $(( N - 1 )) ] \
  || fail "expected exactly one 201 and $(( N - 1 )) 409, got $created x 201, $conflicts x 409, $other other"

request GET "/api/v1/availability?property_id=$PID&from_date=$WINDOW_START&to_date=$CHECK_OUT"
expect 200 "availability after the race"
jq -e --arg id "${WINNERS[0]}" '[.ranges[] | .booking_id] == [$id]' <<<"$BODY" >/dev/null \
  || fail "availability does not show exactly the winning booking"
pass "Exactly one of $N parallel bookings won; the window shows only it"
