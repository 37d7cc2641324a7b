"""`python -m bot`: run the bot with long polling."""

from __future__ import annotations

import sys

from bot.config import ConfigError, load_settings

TOKEN_HELP = """\
TELEGRAM_BOT_TOKEN is not set.

To get a token:
  1. Open Telegram and talk to @BotFather.
  2. Send /newbot and follow the steps; BotFather answers with a token like 123456:ABC-DEF...
  3. Put it in a file named .env next to this README:  TELEGRAM_BOT_TOKEN=123456:ABC-DEF...
     (or export TELEGRAM_BOT_TOKEN in your shell), then start the bot again.
"""


def main(argv: list[str] | None = None) -> int:
    try:
        settings = load_settings()
    except ConfigError as error:
        print(TOKEN_HELP if "TELEGRAM_BOT_TOKEN" in str(error) else error, file=sys.stderr)
        return 2

    from bot.app import ALLOWED_UPDATES, build_application
    from bot.db import upgrade_database
    from bot.logging_setup import setup_logging

    setup_logging(settings.log_level, secrets=(settings.token,))
    upgrade_database(settings.database_url)
    application = build_application(settings)
    application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
