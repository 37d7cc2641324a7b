"""`python -m bot`: run the bot (long polling, or a webhook with BOT_MODE=webhook), or the
local playground without a token.

python -m bot               the bot if TELEGRAM_BOT_TOKEN is set, else the playground
python -m bot run           the bot; without a token, explain how to get one (exit 2)
python -m bot playground    the playground (two chats in a browser, no Telegram needed)
python -m bot migrate       apply the database migrations and exit (for deploy scripts)
python -m bot check         is this installation ready? database, migrations, token, webhook
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot.config import ConfigError, Settings, load_settings

TOKEN_HELP = """\
TELEGRAM_BOT_TOKEN is not set.

To get a token:
  1. Open Telegram and talk to @BotFather.
  2. Send /newbot and follow the steps; BotFather answers with a token like 123456:ABC-DEF...
  3. Put it in a file named .env next to this README:  TELEGRAM_BOT_TOKEN=123456:ABC-DEF...
     (or export TELEGRAM_BOT_TOKEN in your shell), then start the bot again.

To try the bot without Telegram, run the local playground: python -m bot playground
"""

DEFAULT_PORT = 8080


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Run the couples bot, or try it in a local browser playground.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=("run", "playground", "migrate", "check"),
        help="run: the bot only (exit 2 without a token); playground: the local playground; "
        "migrate: apply database migrations and exit; check: database, migrations, token and "
        "webhook settings, one line each (exit 1 on a problem). "
        "Default: the bot if a token is configured, else the playground.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="playground address (127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=None, help=f"playground port ({DEFAULT_PORT}; 0: any free)"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="playground database (default: a fresh SQLite file in a temporary directory; "
        "DATABASE_URL is never used). Refused when it holds users the playground did not make.",
    )
    return parser.parse_args(argv)


def playground(args: argparse.Namespace, headline: str) -> int:
    from bot.logging_setup import setup_logging
    from bot.playground import run_playground
    from bot.playground.safety import is_loopback

    level = os.environ.get("LOG_LEVEL", "").strip().upper() or "WARNING"
    setup_logging(level, secrets=())
    for noisy in ("alembic", "telegram"):  # they set their own INFO level; one line is enough
        logging.getLogger(noisy).setLevel(level)

    def announce(url: str) -> None:
        line = headline.format(url=url)
        if not is_loopback(args.host):
            line += (
                f"; listening on {args.host}: anyone on your network with this link (it holds "
                "the access token) can use it"
            )
        print(line, file=sys.stderr, flush=True)

    return run_playground(
        args.host,
        DEFAULT_PORT if args.port is None else args.port,
        # Never DATABASE_URL: that is the real bot's database.
        database_url=(args.database_url or "").strip() or None,
        announce=announce,
        port_fallbacks=10 if args.port is None else 0,  # 8080 taken: try 8081, ...
    )


def migrate() -> int:
    """Apply every pending migration (DATABASE_URL; no token needed) and exit: 0, or 1 with
    one line that says why. Several instances may run it at once: PostgreSQL serialises them."""
    from dotenv import load_dotenv

    from bot.config import normalize_database_url
    from bot.logging_setup import setup_logging

    load_dotenv(".env", override=False)
    setup_logging(os.environ.get("LOG_LEVEL", "").strip().upper() or "INFO", secrets=())
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # 8 lines of noise
    try:
        url = normalize_database_url(os.environ.get("DATABASE_URL", "").strip() or None)
    except OSError as error:
        print(f"migration failed: cannot create the data directory: {error}", file=sys.stderr)
        return 1
    return 0 if _upgrade(url) else 1


def _upgrade(url: str) -> bool:
    """Migrate; on failure, one line on stderr (the database's own reason, no traceback)."""
    from bot.config import redact_url
    from bot.db import upgrade_database
    from bot.logging_setup import class_chain

    try:
        upgrade_database(url)
    except Exception as error:
        reason = (str(error).strip().splitlines() or [""])[0][:300]
        print(
            f"migration of {redact_url(url)} failed: {class_chain(error)}: {reason}",
            file=sys.stderr,
        )
        return False
    return True


def run(settings: Settings) -> int:
    """The bot, in polling or webhook mode, until SIGTERM/SIGINT (then exit 0)."""
    import asyncio

    from telegram.error import TelegramError

    from bot.app import build_application
    from bot.lifecycle import serve
    from bot.logging_setup import class_chain, setup_logging

    secrets = (settings.token, settings.webhook.secret if settings.webhook else "")
    setup_logging(settings.log_level, secrets=secrets)
    if not _upgrade(settings.database_url):
        return 1
    application = build_application(settings)
    try:
        return asyncio.run(serve(settings, application))
    except OSError as error:  # e.g. WEBHOOK_PORT already in use
        print(f"cannot start the bot: {class_chain(error)}: {error}", file=sys.stderr)
    except TelegramError as error:  # e.g. setWebhook or getMe refused
        print(f"cannot start the bot: Telegram said: {error}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "playground":
        return playground(args, "Playground: {url} (Ctrl+C stops it)")
    if args.command == "migrate":
        return migrate()
    if args.command == "check":
        from bot.check import main as check

        return check()
    try:
        settings = load_settings()
    except ConfigError as error:
        if "TELEGRAM_BOT_TOKEN" not in str(error):
            print(error, file=sys.stderr)
            return 2
        if args.command == "run":
            print(TOKEN_HELP, file=sys.stderr)
            return 2
        return playground(
            args,
            "TELEGRAM_BOT_TOKEN is not set (get one from @BotFather; `python -m bot run` "
            "explains), so here is the local playground instead: {url} (Ctrl+C stops it)",
        )

    return run(settings)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
