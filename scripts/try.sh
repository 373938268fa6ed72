#!/usr/bin/env bash
# Try the product on its embedded default (SQLite): install, then `newsbot demo`:
# the sample snapshots in tests/seeds are ingested into a temporary SQLite file
# and the real bot chats with a local Telegram stand-in. Extra arguments go to
# the demo (e.g. --interactive).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/newsbot demo "$@"
