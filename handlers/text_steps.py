"""Every non-command message in a private chat goes where `bot.services.conversation` routes
it: to the one open step it answers, back to the user with a hint, or — when several steps
could take it — to a question with buttons (the words are held until the user taps).

Features register their steps here (`TextSteps.add`): what the step does with words (and with
a photo, for a step whose prompt may invite one), how the bot names what it waits for, and the
button label when it asks which step words are for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import BotApplication, BotContext
from bot.services import conversation
from bot.services.conversation import RouteKind, Step, StepKind
from bot.services.people import Person
from bot.services.work import Work
from handlers.actions import handed_on, handle_tap, open_work, tap_id, tap_parts
from handlers.common import answer_callback, esc, reply, translator_for
from locales import Translator

TakeText = Callable[[Update, BotContext, Step, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PhotoAnswer:
    """A photo sent as an answer: Telegram's file id of its largest size, and its caption."""

    file_id: str
    caption: str


TakePhoto = Callable[[Update, BotContext, Step, PhotoAnswer], Awaitable[None]]
CANCEL = "x"


@dataclass(frozen=True, slots=True)
class TextStep:
    kind: StepKind
    # What the bot waits for, as the end of "I'm still waiting for …".
    waiting_for: Callable[[Translator], str]
    # Takes the words (None for a tap-only step, e.g. choosing a mood). It must begin with
    # its `run_action` (`handle_text`): that runs in the unit of work that routed the words
    # (`handed_on`), which is still open until then.
    take: TakeText | None = None
    # The button that says "these words are for this step" (partner: the partner's name).
    label: Callable[[Translator, str], str] | None = None
    # The hint when words arrive while this tap-only step is the newest.
    tap_first: Callable[[Translator], str] | None = None
    # Takes a photo, when the step's prompt invites one (`conversation.invites_photo`).
    take_photo: TakePhoto | None = None


class TextSteps:
    """The registry of steps, keyed by kind; each feature adds its own."""

    def __init__(self) -> None:
        self._steps: dict[StepKind, TextStep] = {}

    def add(self, step: TextStep) -> None:
        if step.kind in self._steps:
            raise ValueError(f"step {step.kind} registered twice")
        if (step.take is None or step.label is None) == step.kind.takes_text:
            raise ValueError(f"step {step.kind}: words handler does not match its kind")
        self._steps[step.kind] = step

    def __getitem__(self, kind: StepKind) -> TextStep:
        return self._steps[kind]

    def register(self, application: BotApplication) -> None:
        """The catch-all message handler and the "which step is this for?" buttons."""
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.COMMAND
        application.add_handler(MessageHandler(private, self.on_message))
        application.add_handler(CallbackQueryHandler(self.on_choice, pattern=r"^in:"))

    async def on_message(self, update: Update, context: BotContext) -> None:
        message = update.effective_message
        assert message is not None
        runtime = context.runtime
        replied = message.reply_to_message
        reply_to = replied.message_id if replied is not None else None
        photo = (
            PhotoAnswer(message.photo[-1].file_id, message.caption or "") if message.photo else None
        )
        # Words routed to a step are taken in the same unit of work that routed them (the
        # step's `run_action` takes it over): one transaction and one load of the sender.
        opened = await open_work(runtime, update)
        try:
            work, user, partner = opened.work, opened.user, opened.partner
            now = runtime.clock.now()
            if photo is not None:
                route = await conversation.route_a_photo(work, user, now, reply_to=reply_to)
            else:
                route = await conversation.route(work, user, message.text, now, reply_to=reply_to)
            # A sticker or a voice message where a photo would do: the hint says so.
            photo_ok = (
                message.text is None
                and route.step is not None
                and await conversation.takes_photo(work, route.step)
            )
        except BaseException as error:
            await opened.close(error)
            raise
        if route.kind is not RouteKind.TAKE or photo is not None:
            await opened.close()
        _ = translator_for(user)
        if route.kind is RouteKind.TAKE and photo is not None:
            assert route.step is not None
            take_photo = self[route.step.kind].take_photo
            assert take_photo is not None  # only steps that take photos invite them
            await take_photo(update, context, route.step, photo)
        elif route.kind is RouteKind.TAKE:
            assert route.step is not None and message.text is not None
            take = self[route.step.kind].take
            assert take is not None
            async with handed_on(opened):
                await take(update, context, route.step, message.text)
        elif route.kind is RouteKind.ASK:
            assert route.held_id is not None
            name = partner.first_name if partner is not None else ""
            await reply(update, which_text(_), self.choices(_, route, name))
        elif route.kind is RouteKind.REPLY_FIRST:
            await reply(update, photo_reply_first_text(_))
        else:
            hint = self.hint(_, route.step, has_text=message.text is not None, photo_ok=photo_ok)
            await reply(update, hint)

    def hint(
        self, _: Translator, step: Step | None, *, has_text: bool, photo_ok: bool = False
    ) -> str:
        if step is None:
            return hint_text(_)
        entry = self[step.kind]
        if entry.tap_first is not None:
            return entry.tap_first(_)
        if has_text:  # a reply to a message that waits for nothing
            return hint_text(_)
        if photo_ok:
            return text_or_photo_please(_, entry.waiting_for(_))
        return text_please(_, entry.waiting_for(_))

    def choices(
        self, _: Translator, route: conversation.Route, partner: str
    ) -> InlineKeyboardMarkup:
        rows = [
            [
                InlineKeyboardButton(
                    self.label(_, step, partner)[:60],
                    callback_data=f"in:{route.held_id}:{step.id}",
                )
            ]
            for step in route.choices
        ]
        rows.append(
            [InlineKeyboardButton(_("Don't use it"), callback_data=f"in:{route.held_id}:{CANCEL}")]
        )
        return InlineKeyboardMarkup(rows)

    async def on_choice(self, update: Update, context: BotContext) -> None:
        """The user tapped which step their held words are for (or cancelled)."""

        async def act(
            work: Work, user: Person, _p: Person | None, now: datetime
        ) -> tuple[str, Step] | None:
            _in, raw_held, raw_step = tap_parts(update, 3)
            held_id = tap_id(raw_held)
            step_id = None if raw_step == CANCEL else tap_id(raw_step)
            return await conversation.use_held(work, user, held_id, step_id, now)

        tap = await handle_tap(update, context, act)
        if not tap.ok:
            return
        _ = tap.translator
        await answer_callback(update)
        query = update.callback_query
        assert query is not None
        if tap.value is None:
            await query.edit_message_text(_("Fine, I haven't used those words anywhere."))
            return
        text, step = tap.value
        partner = tap.partner.first_name if tap.partner is not None else ""
        await query.edit_message_text(
            _("For: {step}").format(step=esc(self.label(_, step, partner)))
        )
        take = self[step.kind].take
        assert take is not None
        await take(update, context, step, text)

    def label(self, _: Translator, step: Step, partner: str) -> str:
        label = self[step.kind].label
        assert label is not None  # only words steps are offered
        return label(_, partner)


def hint_text(_: Translator) -> str:
    return _("I'm not sure what to do with that. Send /help to see what I can do.")


def text_please(_: Translator, waiting: str) -> str:
    return _("I can only pass on text here. I'm still waiting for {what}.").format(what=waiting)


def photo_reply_first_text(_: Translator) -> str:
    return _(
        "Several of my questions are waiting for you, so I haven't used this photo. To answer "
        "one with it, send it again as a reply to that question."
    )


def text_or_photo_please(_: Translator, waiting: str) -> str:
    return _("I can only pass on text or a photo here. I'm still waiting for {what}.").format(
        what=waiting
    )


def which_text(_: Translator) -> str:
    return _(
        "Which is this message for? Nothing is passed on until you choose. You can also "
        "reply directly to my question next time."
    )
