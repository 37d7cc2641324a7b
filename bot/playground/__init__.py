"""The local playground: the real bot against the built-in local Bot API, with a web page that
shows two partners' chats side by side and a clock you can move (``python -m bot playground``).

Modules: ``runner`` (the pieces and their actions), ``cli`` (serving until Ctrl+C),
``server`` (HTTP routes, server-sent events), ``views`` and ``sanitize`` (messages as safe
HTML), ``session`` (the two people), ``clock`` (real time plus an offset), ``hub`` (fan-out of
page events), ``safety`` (its own users and database; an access token beyond loopback),
``static/`` (the page itself: no external assets).
"""

from bot.playground.cli import run_playground
from bot.playground.clock import OffsetClock
from bot.playground.runner import Playground

__all__ = ["OffsetClock", "Playground", "run_playground"]
