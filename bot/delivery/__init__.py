"""Getting messages out: the one sender every message passes (per-chat pacing,
the bot-wide rate gate, retries), who is due a digest and what it holds, the
planner and dispatcher with their ledger, and this instance among several.

May import: `bot.news`, the shared modules and `storage`; the PTB library for
its Bot and errors. Never `bot.telegram` (handlers call delivery, not the other
way round) nor `bot.standin`.
"""
