#!/usr/bin/env bash
# Try the product on its embedded default (a SQLite file): install, ingest the
# sample snapshots shipped in tests/seeds, then show /latest and a digest preview.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export DATABASE_URL="${DATABASE_URL:-sqlite:///newsbot.db}"
.venv/bin/newsbot ingest tests/seeds
echo; echo "== newsbot latest --limit 5"; .venv/bin/newsbot latest --limit 5
echo; echo "== newsbot digest --country kz --country uz"
.venv/bin/newsbot digest --country kz --country uz
