# shellcheck shell=bash
# Shared by the smoke and ops scripts: environment, bearer token, JSON requests that survive
# proxy hiccups, connection and property picks, free-window search and the operation summary.
# Source it after `set -euo pipefail`; it defines functions only.
#
#   API        base URL (default http://127.0.0.1:8000)
#   ENV_FILE   optional file of KEY=VALUE lines (API, EMAIL, PASSWORD, TOKEN, PID, ...)
#   TOKEN      bearer token; else EMAIL + PASSWORD get one from POST /api/v1/auth/token
#   PID        a property id to use (pick_property)
#   RETRY_DELAYS  seconds between retries of a transient failure (default "1 2 3 5 8")
# Secrets are never printed: only the token's length.

info() { printf 'INFO  %s\n' "$*"; }
pass() { printf 'OK    %s\n' "$*"; }
warn() { printf 'WARN  %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

load_env() {
  if [ -n "${ENV_FILE:-}" ]; then
    [ -f "$ENV_FILE" ] || fail "ENV_FILE $ENV_FILE not found"
    set -a
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    set +a
  fi
  API="${API:-http://127.0.0.1:8000}"
  API="${API%/}"
  EMAIL="${EMAIL:-}"
  PASSWORD="${PASSWORD:-}"
  TOKEN="${TOKEN:-}"
  PID="${PID:-}"
  read -r -a RETRY_DELAYS <<<"${RETRY_DELAYS:-1 2 3 5 8}"
  for tool in curl jq date; do
    command -v "$tool" >/dev/null || fail "$tool is required"
  done
}

# A 502/503/504, a connection error or an empty body (other than 204 No Content) is a proxy or deploy hiccup.
is_transient() {
  [ "$STATUS" = 000 ] || [ "$STATUS" = 502 ] || [ "$STATUS" = 503 ] || [ "$STATUS" = 504 ] ||
    { [ -z "$BODY" ] && [ "$STATUS" != 204 ]; }
}

# request METHOD PATH [JSON] -> sets STATUS and BODY. Follows redirects (the 307 of collection
# URLs keeps method and body); retries transient failures after RETRY_DELAYS.
request() {
  local method="$1" path="$2" data="${3:-}" attempt=0 out
  local args=(-sS -L --max-time 20 -X "$method" -H "Accept: application/json" -w $'\n%{http_code}')
  [ -n "$TOKEN" ] && args+=(-H "Authorization: Bearer $TOKEN")
  [ -n "$data" ] && args+=(-H "Content-Type: application/json" --data-binary @-)
  while :; do
    out="$(curl "${args[@]}" "$API$path" <<<"$data" 2>/dev/null)" || out=$'\n000'
    STATUS="${out##*$'\n'}"
    BODY="${out%$'\n'*}"
    if is_transient && [ "$attempt" -lt "${#RETRY_DELAYS[@]}" ]; then
      echo "⚠️  $method $path: transient HTTP $STATUS (${#BODY} bytes), retrying in ${RETRY_DELAYS[$attempt]}s..." >&2
      sleep "${RETRY_DELAYS[$attempt]}"
      attempt=$((attempt + 1))
      continue
    fi
    return 0
  done
}

# The message of an error body ({"detail": ...} or {"error", "message"}), else its start.
error_text() {
  jq -r 'if type == "object" then (.detail // .message // .error // . | tostring) else tostring end' \
    <<<"$BODY" 2>/dev/null || printf '%s' "${BODY:0:200}"
}

json_ok() { [ -n "$BODY" ] && jq -e . >/dev/null 2>&1 <<<"$BODY"; }

# expect STATUS WHAT: fail with a one-line reason unless the last request answered STATUS.
expect() {
  [ "$STATUS" = "$1" ] || fail "$2: expected HTTP $1, got $STATUS $(head -c 300 <<<"$BODY")"
}

get_token() {
  if [ -n "$TOKEN" ]; then
    echo "ℹ️  Using TOKEN from the environment (length ${#TOKEN})"
    return 0
  fi
  [ -n "${EMAIL:-}" ] && [ -n "${PASSWORD:-}" ] || fail "set TOKEN, or EMAIL and PASSWORD"
  request POST /api/v1/auth/token "$(jq -cn --arg e "$EMAIL" --arg p "$PASSWORD" '{email: $e, password: $p}')"
  [ "$STATUS" = 200 ] || fail "token request answered HTTP $STATUS: $(error_text)"
  TOKEN="$(jq -r '.access_token // empty' <<<"$BODY")"
  [ -n "$TOKEN" ] || fail "token response carries no access_token"
  echo "OK: token acquired (length ${#TOKEN})"
}

# The first connection's id unless CID is set.
pick_connection() {
  if [ -n "${CID:-}" ]; then
    echo "ℹ️  Connection $CID (given)"
    return 0
  fi
  request GET "/api/v1/channel-connections/?limit=1"
  [ "$STATUS" = 200 ] || fail "listing connections answered HTTP $STATUS: $(error_text)"
  CID="$(jq -r 'if type == "array" then (.[0].id // empty) else empty end' <<<"$BODY" 2>/dev/null || true)"
  [ -n "$CID" ] || fail "no channel connection found (create one: flask seed-connection)"
  echo "ℹ️  Connection $CID (first of the list)"
}

# trigger_sync TYPE -> BATCH_ID, TASK_COUNT
trigger_sync() {
  request POST "/api/v1/channel-connections/$CID/sync" "$(jq -cn --arg t "$1" '{sync_type: $t}')"
  [ "$STATUS" = 200 ] || fail "sync trigger answered HTTP $STATUS: $(error_text)"
  BATCH_ID="$(jq -r '.batch_id // empty' <<<"$BODY")"
  TASK_COUNT="$(jq '.task_ids | length' <<<"$BODY")"
  [ -n "$BATCH_ID" ] || fail "sync trigger response carries no batch_id"
  echo "OK: $1 sync triggered (batch $BATCH_ID, $TASK_COUNT task(s))"
}

# Operation summary from TSV lines "operation<TAB>status<TAB>detail" on stdin.
print_summary() {
  echo "Operation Summary:"
  printf '  %-25s %-15s %s\n' "Operation Type" "Status" "${1:-Task ID}"
  printf '  %-25s %-15s %s\n' "-------------------------" "---------------" "----------------------------------------"
  while IFS=$'\t' read -r operation status detail; do
    printf '  %-25s %-15s %s\n' "$operation" "$status" "$detail"
  done
}

# pick_property: keep a valid $PID, else take the first active property; sets PID and PROPERTY (JSON).
pick_property() {
  if [ -n "$PID" ]; then
    request GET "/api/v1/properties/$PID"
    if [ "$STATUS" = 200 ]; then
      PROPERTY="$BODY"
      return
    fi
    warn "PID $PID invalid (HTTP $STATUS); picking a property from /api/v1/properties/"
  fi
  request GET "/api/v1/properties/?limit=1&is_active=true"
  expect 200 "list properties"
  PID="$(jq -r '.items[0].id // empty' <<<"$BODY")"
  [ -n "$PID" ] || fail "no active property found (create one, or run flask seed-demo)"
  PROPERTY="$(jq -c '.items[0]' <<<"$BODY")"
}

day() { date -d "+$1 days" +%F; }

plus_days() { date -d "$1 + $2 days" +%F; }

# find_free_window FROM TO NIGHTS: first start day D in [FROM, TO) with [D, D+NIGHTS) free, per the
# availability API; sets WINDOW_START (empty when none).
find_free_window() {
  local from="$1" to="$2" nights="$3"
  request GET "/api/v1/availability?property_id=$PID&from_date=$from&to_date=$to"
  expect 200 "availability of $PID"
  WINDOW_START="$(jq -r --arg from "$from" --arg to "$to" --argjson n "$nights" '
    def days: strptime("%Y-%m-%d") | mktime / 86400 | floor;
    [.ranges[] | {s: (.start_date | days), e: (.end_date | days)}] | sort_by(.s)
    | reduce .[] as $r ({d: ($from | days), found: false};
        if .found or ($r.s - .d) >= $n then .found = true else .d = ([.d, $r.e] | max) end)
    | if .found or (.d + $n) <= ($to | days) then (.d * 86400 | strftime("%Y-%m-%d")) else empty end' <<<"$BODY")"
}
