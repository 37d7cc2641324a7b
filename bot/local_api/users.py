"""Simulated Telegram users and groups that talk to the bot and observe its replies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bot.local_api.files import TINY_PNG
from bot.local_api.messages import BotMessage
from bot.local_api.state import BotApiState, ChatState, UserRecord

# How long a simulated user waits for the bot before failing loudly. Generous on purpose: a
# busy CI machine (tests run under CPU load there) must slow a test down, never fail it; a
# missing message still fails, only later.
DEFAULT_WAIT = 30.0

MessagePredicate = Callable[[BotMessage], bool]

# Minimal stand-ins for media a user sends; only the container magic is realistic.
FAKE_WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\xff\x01\x00\xff\x01\x00"
FAKE_OGG = b"OggS\x00\x02" + bytes(40)


class ChatView:
    """Observes the bot's messages in one chat, with a consumption cursor.

    ``next_message``/``wait_for`` consume messages in order; ``messages`` always shows the
    current state of every (non-deleted) bot message.
    """

    def __init__(self, state: BotApiState, chat: ChatState) -> None:
        self._state = state
        self._chat = chat
        self._cursor = 0

    @property
    def chat_id(self) -> int:
        return self._chat.id

    @property
    def messages(self) -> list[BotMessage]:
        """All bot messages in this chat in order, in their current state (deleted excluded)."""
        return [message for message in self._chat.bot_messages if not message.deleted]

    @property
    def last_message(self) -> BotMessage | None:
        messages = self.messages
        return messages[-1] if messages else None

    @property
    def unread(self) -> list[BotMessage]:
        """Bot messages not yet consumed by :meth:`next_message`/:meth:`wait_for`."""
        return self._chat.bot_messages[self._cursor :]

    def mark_all_read(self) -> None:
        self._cursor = len(self._chat.bot_messages)

    async def _wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await self._chat.notifier.wait(remaining)
        return True

    async def watched(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Return once someone waits for this chat to change (``next_message``, ``wait_for``,
        ``wait_edit``, ...): a test can then act, knowing the waiter really was waiting
        first. ``TimeoutError`` after ``timeout``."""
        await self._chat.notifier.until_waited_on(timeout)

    async def next_message(self, timeout: float = DEFAULT_WAIT) -> BotMessage:  # noqa: ASYNC109
        """The next bot message not consumed yet; ``AssertionError`` after ``timeout``."""
        arrived = await self._wait_until(
            lambda: self._cursor < len(self._chat.bot_messages), timeout
        )
        if not arrived:
            raise AssertionError(self._timeout_report(f"no new bot message within {timeout:.2f}s"))
        message = self._chat.bot_messages[self._cursor]
        self._cursor += 1
        return message

    async def wait_for(
        self,
        text_contains: str | None = None,
        *,
        predicate: MessagePredicate | None = None,
        timeout: float = DEFAULT_WAIT,  # noqa: ASYNC109
    ) -> BotMessage:
        """Consume bot messages until one matches; non-matching ones are skipped (consumed).

        ``text_contains`` is looked for in the visible text (tags stripped) and in the source.
        """
        skipped: list[BotMessage] = []

        def matches(message: BotMessage) -> bool:
            if text_contains is not None:
                haystacks = (message.entities_text, message.text or "", message.caption or "")
                if not any(text_contains in haystack for haystack in haystacks):
                    return False
            return predicate is None or predicate(message)

        def scan() -> BotMessage | None:
            while self._cursor < len(self._chat.bot_messages):
                message = self._chat.bot_messages[self._cursor]
                self._cursor += 1
                if matches(message):
                    return message
                skipped.append(message)
            return None

        found: list[BotMessage] = []

        def condition() -> bool:
            match = scan()
            if match is not None:
                found.append(match)
            return bool(found)

        if await self._wait_until(condition, timeout):
            return found[0]
        wanted = f"text containing {text_contains!r}" if text_contains is not None else "a match"
        if predicate is not None:
            wanted += " satisfying the predicate"
        skipped_text = "\n".join(f"  {m.describe()}" for m in skipped) or "  (none)"
        raise AssertionError(
            self._timeout_report(
                f"no bot message with {wanted} within {timeout:.2f}s; "
                f"skipped while waiting:\n{skipped_text}"
            )
        )

    def assert_no_unread(self) -> None:
        """``AssertionError`` if a bot message arrived that was not consumed. Call it after a
        positive signal that the bot finished (e.g. it handled the last update), never as a
        bet on timing."""
        if self.unread:
            listing = "\n".join(f"  {m.describe()}" for m in self.unread)
            raise AssertionError(
                f"expected no new bot message in chat {self.chat_id}, got:\n{listing}"
            )

    async def expect_silence(self, seconds: float = 0.3) -> None:
        """``AssertionError`` if the bot sends a new message here within ``seconds``."""
        start = len(self._chat.bot_messages)
        await self._wait_until(lambda: len(self._chat.bot_messages) > start, seconds)
        new = self._chat.bot_messages[start:]
        if new:
            listing = "\n".join(f"  {m.describe()}" for m in new)
            raise AssertionError(
                f"expected no bot message in chat {self.chat_id} for {seconds:.2f}s, "
                f"got:\n{listing}"
            )

    async def wait_edit(self, message: BotMessage, timeout: float = DEFAULT_WAIT) -> BotMessage:  # noqa: ASYNC109
        """Wait until ``message`` is edited (after this call); returns it in its new state."""
        edits = message.edits
        if not await self._wait_until(lambda: message.edits > edits, timeout):
            raise AssertionError(
                self._timeout_report(
                    f"message {message.describe()} was not edited within {timeout:.2f}s"
                )
            )
        return message

    def _timeout_report(self, headline: str) -> str:
        """Explain a timeout: what arrived, and which recent calls for this chat failed."""
        lines = [f"chat {self.chat_id}: {headline}"]
        recent = self._chat.bot_messages[-5:]
        lines.append("last bot messages in this chat:")
        lines.extend(f"  {m.describe()}" for m in recent)
        if not recent:
            lines.append("  (none)")
        failed = [
            call
            for call in self._state.calls[-50:]
            if call.error is not None
            and (call.params.get("chat_id") in (self.chat_id, str(self.chat_id)))
        ]
        if failed:
            lines.append("recent failed API calls for this chat:")
            lines.extend(f"  {call.method}: {call.error}" for call in failed[-5:])
        pending = len(self._state.updates)
        if pending:
            lines.append(f"{pending} update(s) not yet fetched/confirmed by the bot")
        return "\n".join(lines)


class SimulatedUser(ChatView):
    """A Telegram user with a private chat (chat id == user id) with the bot."""

    def __init__(self, state: BotApiState, user: UserRecord, chat: ChatState) -> None:
        super().__init__(state, chat)
        self._user = user

    @property
    def id(self) -> int:
        return self._user.id

    @property
    def first_name(self) -> str:
        return self._user.first_name

    @property
    def last_name(self) -> str | None:
        return self._user.last_name

    @property
    def username(self) -> str | None:
        return self._user.username

    @property
    def language_code(self) -> str | None:
        return self._user.language_code

    @language_code.setter
    def language_code(self, value: str | None) -> None:
        self._user.language_code = value

    @property
    def blocked(self) -> bool:
        return self._chat.blocked

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Texts of the reply keyboard the bot currently shows this user, if any."""
        markup = self._chat.reply_keyboard
        if markup is None:
            return None
        return [
            [button if isinstance(button, str) else str(button.get("text", "")) for button in row]
            for row in markup.get("keyboard", [])
        ]

    def to_json(self) -> dict[str, Any]:
        return self._user.to_json()

    def __repr__(self) -> str:
        return f"SimulatedUser(id={self.id}, first_name={self.first_name!r})"

    async def send(self, text: str, *, reply_to: BotMessage | None = None) -> dict[str, Any]:
        """Send a text message to the bot; returns the Message JSON delivered in the update."""
        return self._state.add_user_message(
            self._chat,
            self._user,
            text=text,
            reply_to=reply_to.raw if reply_to is not None else None,
        )

    async def send_photo(
        self,
        data: bytes = TINY_PNG,
        *,
        caption: str | None = None,
        reply_to: BotMessage | None = None,
    ) -> dict[str, Any]:
        """Send a photo (optionally as a reply); returns the Message JSON delivered in the
        update, whose ``photo[-1]["file_id"]`` the bot can send on with sendPhoto."""
        stored = self._state.files.add("photo", data)
        return self._state.add_user_message(
            self._chat,
            self._user,
            media_kind="photo",
            stored_file=stored,
            caption=caption,
            reply_to=reply_to.raw if reply_to is not None else None,
        )

    async def send_sticker(self, emoji: str = "😀") -> dict[str, Any]:
        stored = self._state.files.add("sticker", FAKE_WEBP, emoji=emoji)
        return self._state.add_user_message(
            self._chat, self._user, media_kind="sticker", stored_file=stored
        )

    async def send_voice(self, data: bytes = FAKE_OGG, *, duration: int = 2) -> dict[str, Any]:
        stored = self._state.files.add("voice", data, duration=duration)
        return self._state.add_user_message(
            self._chat, self._user, media_kind="voice", stored_file=stored
        )

    async def send_document(
        self, data: bytes, file_name: str = "file.txt", *, caption: str | None = None
    ) -> dict[str, Any]:
        stored = self._state.files.add("document", data, file_name=file_name)
        return self._state.add_user_message(
            self._chat, self._user, media_kind="document", stored_file=stored, caption=caption
        )

    def _find_button_message(self, button_text: str) -> BotMessage:
        for message in reversed(self.messages):
            if message.find_button(button_text) is not None:
                return message
        keyboards = [f"  {m.describe()}" for m in self.messages if m.inline_keyboard]
        if not keyboards:
            keyboards = ["  (no message with an inline keyboard)"]
        raise AssertionError(
            f"no inline button {button_text!r} in chat {self.chat_id}; messages with buttons:\n"
            + "\n".join(keyboards[-5:])
        )

    async def press(self, button_text: str, message: BotMessage | None = None) -> str:
        """Press the inline button labelled ``button_text``; returns the callback query id.

        Without ``message``, the newest bot message in this chat having such a button is used.
        """
        if message is None:
            message = self._find_button_message(button_text)
        if message.deleted:
            raise AssertionError(f"message {message.describe()} was deleted")
        button = message.find_button(button_text)
        if button is None:
            available = [text for row in message.buttons for text in row]
            raise AssertionError(
                f"message {message.describe()} has no button {button_text!r}; "
                f"available: {available}"
            )
        if "callback_data" not in button:
            raise AssertionError(
                f"button {button_text!r} is not a callback button (it has {sorted(button)})"
            )
        return self._state.create_callback_query(
            self._user, self._chat, message, button["callback_data"]
        )

    async def press_data(self, callback_data: str, message: BotMessage) -> str:
        """Send a callback query with arbitrary (possibly forged) data for ``message``."""
        return self._state.create_callback_query(self._user, self._chat, message, callback_data)

    async def callback_answer(
        self,
        callback_query_id: str,
        timeout: float = DEFAULT_WAIT,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """The parameters the bot passed to answerCallbackQuery for this query."""
        record = self._state.callback_queries.get(callback_query_id)
        if record is None:
            raise AssertionError(f"unknown callback query id {callback_query_id!r}")
        if not await self._wait_until(lambda: record.answered, timeout):
            raise AssertionError(
                self._timeout_report(
                    f"callback query {callback_query_id} (data={record.data!r}) was not "
                    f"answered within {timeout:.2f}s"
                )
            )
        assert record.answer is not None
        return dict(record.answer)


class SimulatedGroup(ChatView):
    """A group chat the bot is a member of; simulated users post into it."""

    def __init__(self, state: BotApiState, chat: ChatState) -> None:
        super().__init__(state, chat)

    @property
    def title(self) -> str:
        return self._chat.title or ""

    def __repr__(self) -> str:
        return f"SimulatedGroup(chat_id={self.chat_id}, title={self.title!r})"

    async def send(
        self, user: SimulatedUser, text: str, *, reply_to: BotMessage | None = None
    ) -> dict[str, Any]:
        record = self._state.users[user.id]
        return self._state.add_user_message(
            self._chat,
            record,
            text=text,
            reply_to=reply_to.raw if reply_to is not None else None,
        )
