"""What keeps the playground away from real people: its own users, its own database, and an
access token when others on the network could reach it.

* **Its users.** Telegram user ids have at most 52 significant bits (Bot API: "it has at most
  52 significant bits"), so no Telegram account has an id of 2**52 or more. The playground's
  people get ids from ``PLAYGROUND_USER_BASE`` = 2**52 up (still exact in the page's
  JavaScript numbers, which are exact up to 2**53). A user below it was not made here.
* **Its database.** The playground never reads DATABASE_URL. It uses a fresh SQLite file in a
  temporary directory, or the database named by ``--database-url``, and that one only when it
  holds no user the playground did not make: it is checked before anything is migrated or
  written.
* **Its visitors.** Listening on loopback, only this machine can reach it. On any other
  address, every request needs the access token printed at start (``?token=...`` once, then a
  cookie).
"""

from __future__ import annotations

import ipaddress

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import redact_url
from bot.models import User

PLAYGROUND_USER_BASE = 2**52
TOKEN_PARAM = "token"
TOKEN_COOKIE = "playground_token"


class NotAPlaygroundDatabase(Exception):
    """The database named for the playground holds people the playground did not make."""


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach an address (127.0.0.0/8, ::1, localhost)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_playground_user(user_id: int) -> bool:
    return user_id >= PLAYGROUND_USER_BASE


async def count_foreign_users(url: str) -> int:
    """How many users in the database at `url` the playground did not make (0 when it has no
    users table yet). Reads only: nothing is created, migrated or written."""
    engine = create_async_engine(url)  # no pragmas: SQLite's journal mode stays as it is
    try:
        async with engine.connect() as connection:
            auto = await connection.execution_options(isolation_level="AUTOCOMMIT")
            has_users = await auto.run_sync(lambda sync: inspect(sync).has_table("users"))
            if not has_users:
                return 0
            statement = select(func.count()).select_from(User).where(User.id < PLAYGROUND_USER_BASE)
            return int((await auto.execute(statement)).scalar_one())
    finally:
        await engine.dispose()


async def ensure_playground_database(url: str) -> None:
    """Raise NotAPlaygroundDatabase when `url` holds users the playground did not make."""
    foreign = await count_foreign_users(url)
    if foreign:
        raise NotAPlaygroundDatabase(
            f"The playground refuses {redact_url(url)}: it holds {foreign} "
            f"user{'s' if foreign != 1 else ''} the playground did not create (a real bot's "
            "database?). Leave out --database-url for a throwaway database, or name an empty "
            "one."
        )
