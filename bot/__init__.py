"""Couples rituals bot: daily check-ins, appreciations and date nights for two partners."""

import os

# Opt in to python-telegram-bot's future behaviour: durations such as RetryAfter.retry_after
# are timedeltas (this also silences its deprecation warning on every 429).
os.environ.setdefault("PTB_TIMEDELTA", "1")
