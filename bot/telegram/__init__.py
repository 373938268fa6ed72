"""The bot's Telegram face: the PTB application, command and button handlers,
reply texts, the country picker, per-chat update order, the webhook server and
PTB's HTTP transport on aiohttp.

May import: `bot.delivery` (every message leaves through its sender),
`bot.news`, `bot.sources`, the shared modules (`bot.config`, `clock`, `logs`,
`store`, `prefs`) and `storage`. Never `bot.standin`.
"""
