#!/usr/bin/env bash
# After a deploy: liveness, readiness "up" READY_CHECKS times READY_INTERVAL s apart,
# web and every worker on the same code version, then scripts/smoke.sh.
# Exit 0 on pass; otherwise non-zero with a one-line reason.
#
#   API=https://pms.example.com scripts/verify_deploy.sh
#   ENV_FILE=/root/pms.env          KEY=VALUE lines (API, EMAIL, PASSWORD or TOKEN, ...)
#   READY_CHECKS=5 READY_INTERVAL=10
#   HEALTH_DETAILS_TOKEN=...         the server's value: readiness shows workers and versions only with it
#   EMAIL/PASSWORD or TOKEN are passed on to the smoke test; nothing here prints them.
set -euo pipefail

ENV_FILE="${ENV_FILE:-}"
if [ -n "$ENV_FILE" ]; then
  [ -f "$ENV_FILE" ] || { echo "FAIL: ENV_FILE $ENV_FILE not found" >&2; exit 2; }
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
fi
API="${API:-http://127.0.0.1:8000}"
API="${API%/}"
READY_CHECKS="${READY_CHECKS:-5}"
READY_INTERVAL="${READY_INTERVAL:-10}"
HEALTH_DETAILS_TOKEN="${HEALTH_DETAILS_TOKEN:-}"
SMOKE_SCRIPT="${SMOKE_SCRIPT:-$(dirname "$0")/smoke.sh}"

fail() { echo "FAIL: $*" >&2; exit 1; }
command -v jq >/dev/null || fail "jq is required"

# GET a URL (following redirects) with the readiness details token when set; sets STATUS and BODY.
fetch() {
  local out
  out="$(curl -sS -L --max-time 10 -w '\n%{http_code}' -H @- "$1" 2>&1 \
         <<<"${HEALTH_DETAILS_TOKEN:+X-Health-Token: $HEALTH_DETAILS_TOKEN}")" \
    || fail "$1 not reachable: ${out##*$'\n'}"
  STATUS="${out##*$'\n'}"
  BODY="${out%$'\n'*}"
}

fetch "$API/health"
[ "$STATUS" = 200 ] || fail "/health answered HTTP $STATUS"
[ "$(jq -r .status <<<"$BODY")" = up ] || fail "/health status is not up"
echo "OK: /health up (version $(jq -r .version <<<"$BODY"), commit $(jq -r '.commit // "none"' <<<"$BODY"))"

for i in $(seq 1 "$READY_CHECKS"); do
  fetch "$API/health/ready"
  if [ "$STATUS" != 200 ] || [ "$(jq -r .status <<<"$BODY")" != up ]; then
    failing="$(jq -r '[.components // {} | to_entries[] | select(.value.status != "up")
                       | "\(.key): \(.value.error // .value.status)"] | join("; ")' <<<"$BODY" 2>/dev/null || true)"
    fail "readiness check $i/$READY_CHECKS: HTTP $STATUS, status $(jq -r '.status // "?"' <<<"$BODY" 2>/dev/null || echo '?')${failing:+ ($failing)}"
  fi
  echo "OK: readiness up ($i/$READY_CHECKS)"
  if [ "$i" -lt "$READY_CHECKS" ]; then sleep "$READY_INTERVAL"; fi
done

worker="$(jq -c '.components.worker.details // empty' <<<"$BODY")"
[ -n "$worker" ] || fail "readiness shows no worker details: set HEALTH_DETAILS_TOKEN to the server's value"
[ "$(jq -r '.skipped // false' <<<"$worker")" = false ] \
  || fail "readiness skips the worker check (ENABLE_WORKER_HEALTHCHECK=false): cannot compare versions"
web_version="$(jq -r '.web_version // "unknown"' <<<"$worker")"
count="$(jq '.workers | length' <<<"$worker")"
[ "$count" -gt 0 ] || fail "no worker is running"
skewed="$(jq -r --arg v "$web_version" '[.workers[] | select(.version != $v) | "\(.name)=\(.version)"] | join(", ")' <<<"$worker")"
[ -z "$skewed" ] || fail "version mismatch: web runs $web_version, workers: $skewed"
echo "OK: web and $count worker(s) run code version $web_version"

if [ -f "$SMOKE_SCRIPT" ]; then
  echo "Running smoke test: $SMOKE_SCRIPT"
  API="$API" bash "$SMOKE_SCRIPT" || fail "smoke test failed ($SMOKE_SCRIPT)"
else
  echo "SKIP: smoke test ($SMOKE_SCRIPT not found)"
fi
echo "PASS: deploy verified at $API"
