#!/usr/bin/env bash
# Install newsbot and its pinned, hashed dependencies into ./.venv.
# Needs only Python >= 3.11; uv is installed first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

UV=uv
if ! command -v uv >/dev/null 2>&1; then
    # A private venv for uv itself: works on PEP 668 ("externally managed") Pythons too.
    python3 -m venv .uv-bootstrap
    .uv-bootstrap/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
    UV=.uv-bootstrap/bin/uv
fi

"$UV" venv --quiet --allow-existing --python python3 .venv
# Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set (this machine
# sets it) Python would otherwise compile SQLAlchemy, python-telegram-bot and the
# rest from source at every start, seconds each time for the CLI and each bot process.
"$UV" pip sync --quiet --python .venv/bin/python --require-hashes --compile-bytecode requirements-dev.txt
"$UV" pip install --quiet --python .venv/bin/python --no-deps -e .
.venv/bin/python -m compileall -q bot storage
