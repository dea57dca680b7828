# shellcheck shell=bash
# Helpers shared by the smoke scripts: environment, bearer token, JSON calls, property pick,
# free-window search. Source it after `set -euo pipefail`; it never prints secrets.
#
# Environment: API (base URL, default http://127.0.0.1:8000), EMAIL + PASSWORD or TOKEN,
# optionally ENV_FILE (a shell file setting them) and PID (a property id to use).

info() { printf 'INFO  %s\n' "$*"; }
pass() { printf 'OK    %s\n' "$*"; }
warn() { printf 'WARN  %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

load_env() {
  if [ -n "${ENV_FILE:-}" ]; then
    [ -f "$ENV_FILE" ] || fail "ENV_FILE $ENV_FILE not found"
    # shellcheck disable=SC1090
    . "$ENV_FILE"
  fi
  API="${API:-http://127.0.0.1:8000}"
  API="${API%/}"
  EMAIL="${EMAIL:-}"
  PASSWORD="${PASSWORD:-}"
  TOKEN="${TOKEN:-}"
  PID="${PID:-}"
  for tool in curl jq date; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
  done
}

# api METHOD PATH [JSON]: sets HTTP_STATUS (000 when unreachable) and BODY; follows redirects.
# The body goes through stdin so it never shows in the process list.
api() {
  local method="$1" path="$2" data="${3:-}" out
  out="$(mktemp)"
  local args=(-sS -L -o "$out" -w '%{http_code}' -X "$method" -H "Accept: application/json")
  if [ -n "$TOKEN" ]; then args+=(-H "Authorization: Bearer $TOKEN"); fi
  if [ -n "$data" ]; then
    HTTP_STATUS="$(curl "${args[@]}" -H "Content-Type: application/json" --data-binary @- "$API$path" \
      <<<"$data" 2>/dev/null)" || HTTP_STATUS=000
  else
    HTTP_STATUS="$(curl "${args[@]}" "$API$path" 2>/dev/null)" || HTTP_STATUS=000
  fi
  BODY="$(cat "$out")"
  rm -f "$out"
}

# expect STATUS WHAT: fail with a one-line reason unless the last call answered STATUS.
expect() {
  [ "$HTTP_STATUS" = "$1" ] || fail "$2: expected HTTP $1, got $HTTP_STATUS $(head -c 300 <<<"$BODY")"
}

obtain_token() {
  if [ -z "$TOKEN" ]; then
    [ -n "$EMAIL" ] && [ -n "$PASSWORD" ] || fail "set TOKEN, or EMAIL and PASSWORD (or ENV_FILE)"
    api POST /api/v1/auth/token "$(EMAIL="$EMAIL" PASSWORD="$PASSWORD" jq -nc '{email: env.EMAIL, password: env.PASSWORD}')"
    expect 200 "token request to $API"
    TOKEN="$(jq -r '.access_token' <<<"$BODY")"
  fi
  info "Token ready (length ${#TOKEN})"
}

# pick_property: keep a valid $PID, else take the first property; sets PID and PROPERTY (JSON).
pick_property() {
  if [ -n "$PID" ]; then
    api GET "/api/v1/properties/$PID"
    if [ "$HTTP_STATUS" = 200 ]; then
      PROPERTY="$BODY"
      return
    fi
    warn "PID $PID invalid (HTTP $HTTP_STATUS); picking a property from /api/v1/properties/"
  fi
  api GET "/api/v1/properties/?limit=1&is_active=true"
  expect 200 "list properties"
  PID="$(jq -r '.items[0].id // empty' <<<"$BODY")"
  [ -n "$PID" ] || fail "no active property found (create one, or run flask seed-demo)"
  PROPERTY="$(jq -c '.items[0]' <<<"$BODY")"
}

day() { date -d "+$1 days" +%F; }

# find_free_window FROM TO NIGHTS: first start day D in [FROM, TO) with [D, D+NIGHTS) free, per the
# availability API; sets WINDOW_START (empty when none).
find_free_window() {
  local from="$1" to="$2" nights="$3"
  api GET "/api/v1/availability?property_id=$PID&from_date=$from&to_date=$to"
  expect 200 "availability of $PID"
  WINDOW_START="$(jq -r --arg from "$from" --arg to "$to" --argjson n "$nights" '
    def days: strptime("%Y-%m-%d") | mktime / 86400 | floor;
    [.ranges[] | {s: (.start_date | days), e: (.end_date | days)}] | sort_by(.s)
    | reduce .[] as $r ({d: ($from | days), found: false};
        if .found or ($r.s - .d) >= $n then .found = true else .d = ([.d, $r.e] | max) end)
    | if .found or (.d + $n) <= ($to | days) then (.d * 86400 | strftime("%Y-%m-%d")) else empty end' <<<"$BODY")"
}

plus_days() { date -d "$1 + $2 days" +%F; }
