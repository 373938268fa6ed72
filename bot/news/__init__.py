"""The news itself, as plain functions over plain data (plus ingest, their shell):
parse snapshot pages, tag countries, summarise, decide identity and upgrades,
compose digest and /latest messages, and the six countries (`regions`).

May import only itself, `storage` and libraries: never `bot.telegram`,
`bot.delivery`, `bot.sources` or `bot.standin`, so it runs in a plain test
with no bot, and a newcomer can read it without Telegram in mind.
"""
