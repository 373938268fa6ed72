"""Where news comes from: today the watched snapshot folder; feeds and pages next.

A source turns what it finds into the input of `bot.news.ingest`. May import
`bot.news`, the shared modules and `storage`; never `bot.telegram`,
`bot.delivery` or `bot.standin`.
"""
