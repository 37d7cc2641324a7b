"""``python -m bot playground``: serve the playground until Ctrl+C (SIGINT) or SIGTERM; exit 2
when the database named for it holds real users."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable

from bot.playground.runner import Playground
from bot.playground.safety import NotAPlaygroundDatabase


async def serve(
    host: str,
    port: int,
    *,
    database_url: str | None,
    announce: Callable[[str], None],
    port_fallbacks: int = 0,
) -> None:
    """Run until SIGINT/SIGTERM. ``port_fallbacks`` next ports are tried if ``port`` is taken."""
    playground: Playground | None = None
    for candidate in range(port, port + port_fallbacks + 1):
        playground = Playground(database_url=database_url)
        try:
            await playground.start(host, candidate)
            break
        except OSError:
            if candidate == port + port_fallbacks:
                raise
    assert playground is not None
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stopping.set)
    try:
        announce(playground.entry_url)
        await stopping.wait()
    finally:
        await playground.stop()


def run_playground(
    host: str,
    port: int,
    *,
    database_url: str | None,
    announce: Callable[[str], None],
    port_fallbacks: int = 0,
) -> int:
    try:
        asyncio.run(
            serve(
                host,
                port,
                database_url=database_url,
                announce=announce,
                port_fallbacks=port_fallbacks,
            )
        )
    except NotAPlaygroundDatabase as refusal:
        print(refusal, file=sys.stderr)
        return 2
    except OSError as error:
        ports = f"{port}-{port + port_fallbacks}" if port_fallbacks else str(port)
        print(f"The playground could not start on {host}:{ports}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0
