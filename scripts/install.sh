#!/usr/bin/env bash
# Install newsbot and its pinned, hashed dependencies into ./.venv.
# Needs only Python >= 3.11; uv is installed first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet --user "uv==0.13.9" 2>/dev/null \
        || python3 -m pip install --quiet "uv==0.13.9"
    export PATH="$HOME/.local/bin:$PATH"
fi

uv venv --quiet --allow-existing --python python3 .venv
uv pip sync --quiet --python .venv/bin/python --require-hashes requirements-dev.txt
uv pip install --quiet --python .venv/bin/python --no-deps -e .
