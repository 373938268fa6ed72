"""newsbot: Central Asia news digests for Telegram.

Packages by capability (README, "Where things are"): `news` (the pure core:
parse, tag, summarise, compose), `sources` (where news comes from), `delivery`
(the one sender, schedule and digest jobs), `telegram` (the PTB application
and handlers), `standin` (local stand-ins for tests and the demo). Shared by
all: `config`, `clock`, `logs`, `store`, `prefs`. `tests/test_layering.py`
holds the rules of who may import whom.
"""
