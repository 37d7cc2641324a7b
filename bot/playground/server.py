"""The playground's HTTP side: the page, its JSON actions, files and a server-sent event stream.

Routes:

* ``GET /`` the page; ``GET /static/...`` its script and styles
* ``GET /api/state`` everything the page shows (the same JSON as the stream's first event)
* ``GET /api/events`` server-sent events: a ``snapshot`` first, then live page events
* ``POST /api/session`` ``{"a": {name, language, timezone}, "b": {...}}`` starts two people
* ``POST /api/send`` ``{"who": "a", "text": "/pair"}``
* ``POST /api/press`` ``{"who": "a", "message_id": 3, "row": 0, "col": 1}``
* ``POST /api/clock`` ``{"action": "next"}`` or ``{"action": "advance", "hours": 24}``
* ``GET /files/<file_path>`` a photo or document the bot (or a person) sent
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.playground.runner import Playground
from bot.playground.safety import TOKEN_COOKIE, TOKEN_PARAM
from bot.playground.session import DEFAULTS, PlaygroundError, persona_from

STATIC_DIR = Path(__file__).parent / "static"
PLAYGROUND = web.AppKey("playground", Playground)
KEEPALIVE_SECONDS = 15.0
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        content_type="application/json",
    )


def _hostname(host: str) -> str:
    """The name part of a Host header: ``127.0.0.1:8080`` -> ``127.0.0.1``, ``[::1]:80`` ->
    ``[::1]``."""
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _token_given(request: web.Request, token: str) -> str | None:
    """Where the request carries the access token ("query" or "cookie"), or None."""
    for where, given in (
        ("query", request.query.get(TOKEN_PARAM)),
        ("cookie", request.cookies.get(TOKEN_COOKIE)),
    ):
        if given and secrets.compare_digest(given.encode(), token.encode()):
            return where
    return None


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer only the page itself: a loopback Host (no DNS rebinding), the access token when
    listening beyond loopback, JSON-only POSTs (so another site cannot post a form here), and
    errors as JSON."""
    playground = request.app[PLAYGROUND]
    allowed = LOOPBACK_NAMES | {playground.host}
    if playground.host not in ("0.0.0.0", "::") and _hostname(request.host) not in allowed:
        return _json({"error": "unexpected Host header"}, 403)
    token = playground.access_token
    if token is not None:
        where = _token_given(request, token)
        if where is None:
            return web.Response(
                status=403,
                text="This playground needs its access link: the one printed when it started.\n",
            )
        if where == "query" and request.method == "GET" and request.path == "/":
            # Once: keep the token in a cookie, and take it out of the address bar.
            response = web.Response(status=303, headers={"Location": "/"})
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
            return response
    if request.method == "POST" and request.content_type != "application/json":
        return _json({"error": "send JSON"}, 415)
    try:
        return await handler(request)
    except PlaygroundError as error:
        return _json({"error": str(error)}, error.status)


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise PlaygroundError("malformed JSON") from None
    if not isinstance(data, dict):
        raise PlaygroundError("expected a JSON object")
    return data


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlaygroundError(f"{key} must be a whole number")
    return value


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-store"})


async def state(request: web.Request) -> web.Response:
    return _json(await request.app[PLAYGROUND].snapshot())


async def _write_event(response: web.StreamResponse, event: dict[str, Any]) -> None:
    data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    await response.write(f"data: {data}\n\n".encode())


async def events(request: web.Request) -> web.StreamResponse:
    playground = request.app[PLAYGROUND]
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    queue = playground.hub.subscribe()  # before the snapshot, so nothing falls in between
    try:
        await _write_event(response, await playground.snapshot())
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            if event is None:  # the playground is stopping
                break
            await _write_event(response, event)
    except (ConnectionResetError, ConnectionError):
        pass
    finally:
        playground.hub.unsubscribe(queue)
    return response


async def start_session(request: web.Request) -> web.Response:
    data = await _body(request)
    a = persona_from(data.get("a"), DEFAULTS["a"])
    b = persona_from(data.get("b"), DEFAULTS["b"])
    session = await request.app[PLAYGROUND].start_session(a, b)
    return _json({"session": session.to_json()})


async def send(request: web.Request) -> web.Response:
    data = await _body(request)
    message = await request.app[PLAYGROUND].send(str(data.get("who")), str(data.get("text", "")))
    return _json({"message_id": message["message_id"]})


async def press(request: web.Request) -> web.Response:
    data = await _body(request)
    query_id = await request.app[PLAYGROUND].press(
        str(data.get("who")), _int(data, "message_id"), _int(data, "row"), _int(data, "col")
    )
    return _json({"callback_query_id": query_id})


async def clock(request: web.Request) -> web.Response:
    data = await _body(request)
    playground = request.app[PLAYGROUND]
    action = data.get("action")
    if action == "next":
        return _json(await playground.skip_to_next_ritual())
    if action == "advance":
        hours = data.get("hours", 24)
        if isinstance(hours, bool) or not isinstance(hours, int | float):
            raise PlaygroundError("hours must be a number")
        return _json(await playground.advance(timedelta(hours=hours)))
    raise PlaygroundError("action must be 'next' or 'advance'")


async def files(request: web.Request) -> web.Response:
    stored = request.app[PLAYGROUND].api.state.files.by_path(request.match_info["path"])
    if stored is None:
        raise web.HTTPNotFound()
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
    if not stored.mime_type.startswith(("image/", "audio/", "video/")):
        name = (stored.file_name or stored.file_path.rsplit("/", 1)[-1]).replace('"', "")
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return web.Response(body=stored.data, content_type=stored.mime_type, headers=headers)


def create_web_app(playground: Playground) -> web.Application:
    app = web.Application(middlewares=[guard], client_max_size=64 * 1024)
    app[PLAYGROUND] = playground
    app.router.add_get("/", index)
    app.router.add_get("/api/state", state)
    app.router.add_get("/api/events", events)
    app.router.add_post("/api/session", start_session)
    app.router.add_post("/api/send", send)
    app.router.add_post("/api/press", press)
    app.router.add_post("/api/clock", clock)
    app.router.add_get("/files/{path:.+}", files)
    app.router.add_static("/static/", STATIC_DIR, append_version=False)
    return app
