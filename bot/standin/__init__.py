"""Local stand-ins for what the tests and the demo cannot reach: the Telegram
Bot API (with Telegram's flood control and webhook pushes) and `newsbot demo`.

May import anything. Only the command line (`newsbot demo`), tests and
benchmarks import this package: the bot itself never does.
"""
