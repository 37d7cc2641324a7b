# The couples rituals bot in a small image: `python -m bot` as a non-root user, third-party
# packages exactly as pinned in requirements.lock, the compiled translations included.
#
#   docker build -t couples-bot .
#   docker run --rm --env-file .env couples-bot python -m bot check
#   docker run -d --env-file .env -v couples-data:/app/data couples-bot
#
# Settings come from the environment (see README, "Configuration"); docker-compose.yml runs two
# instances in webhook mode behind Caddy with PostgreSQL; docs/deploy.md has the rest.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /app

# Dependencies first, in a layer that is rebuilt only when the lock changes. --no-deps: what is
# installed is exactly the lock (pip-compile resolved every transitive dependency into it).
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock && pip check

# The code (migrations live in bot/migrations) and the words: locales/ holds the compiled
# catalogs (locales/<lang>/LC_MESSAGES/messages.mo) that gettext reads at run time.
COPY bot/ bot/
COPY handlers/ handlers/
COPY scheduler/ scheduler/
COPY locales/ locales/

# A user without privileges; it owns only the data directory, where the default SQLite
# database lives (./data/couples.sqlite3; unused with DATABASE_URL=postgresql://...).
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home couples \
    && mkdir -p /app/data && chown couples:couples /app/data
USER couples
VOLUME ["/app/data"]

# With METRICS_PORT set, healthy means /healthz answers 200 (the bot runs and its database
# answers); without it there is nothing to ask, and the container counts as healthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; port = os.environ.get('METRICS_PORT') or '0'; port == '0' or urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"

CMD ["python", "-m", "bot"]
