#!/usr/bin/env bash
# Fails when a template or static script calls alert(), confirm() or prompt():
# the back office uses in-page dialogs and banners instead (spec 40).
set -euo pipefail
cd "$(dirname "$0")/.."

matches="$(grep -rnE '\b(window\.)?(alert|confirm|prompt)\s*\(|hx-confirm' templates static \
  --include='*.html' --include='*.js' --exclude-dir=vendor || true)"
if [ -n "$matches" ]; then
  echo "Browser popups found (use in-page dialogs or banners instead):"
  echo "$matches"
  exit 1
fi
echo "OK: No browser popups (alert/confirm/prompt) found"
