"""A local HTTP server that speaks the Telegram Bot API, plus simulated users.

The real python-telegram-bot ``Application`` runs against it unmodified (long polling, or a
webhook that the server POSTs updates to), which makes end-to-end tests of the bot possible
without Telegram. See :class:`LocalBotApi`.
"""

from bot.local_api.errors import ApiError
from bot.local_api.events import EventFeed, EventStream
from bot.local_api.faults import FaultInjector, HeldCall
from bot.local_api.limits import SendLimits
from bot.local_api.messages import BotMessage
from bot.local_api.params import UploadedFile
from bot.local_api.server import LocalBotApi
from bot.local_api.state import ApiCall
from bot.local_api.users import ChatView, SimulatedGroup, SimulatedUser
from bot.local_api.webhooks import WebhookDelivery

__all__ = [
    "ApiCall",
    "ApiError",
    "BotMessage",
    "ChatView",
    "EventFeed",
    "EventStream",
    "FaultInjector",
    "HeldCall",
    "LocalBotApi",
    "SendLimits",
    "SimulatedGroup",
    "SimulatedUser",
    "UploadedFile",
    "WebhookDelivery",
]
