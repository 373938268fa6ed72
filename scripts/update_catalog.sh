#!/usr/bin/env bash
# Extract the messages from the code and merge them into the Russian catalog;
# then translate the new or changed entries in bot/locale/ru/LC_MESSAGES/newsbot.po.
set -euo pipefail
cd "$(dirname "$0")/.."
pot="$(mktemp --suffix=.pot)"
.venv/bin/pybabel -q extract -F babel.cfg -k say:2 -k say_escaped:2 --no-location --omit-header -o "$pot" .
.venv/bin/pybabel -q update -i "$pot" -d bot/locale -D newsbot -l ru --no-fuzzy-matching
rm -f "$pot"
