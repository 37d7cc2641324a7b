"""Database tables (SQLAlchemy 2 typed models). Schema changes go through Alembic."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class CheckinStatus(enum.StrEnum):
    OPEN = "open"
    REVEALED = "revealed"  # both answered: shown to both
    PARTIAL = "partial"  # closed with one answer: shown to nobody
    EMPTY = "empty"  # closed with none


class AnswerStep(enum.StrEnum):
    """Where one partner is in a check-in."""

    MOOD = "mood"
    ANSWER = "answer"
    NEED = "need"
    DONE = "done"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting (maybe for a retry after a refusal)
    CLAIMED = "claimed"  # a process holds it until its lease ends
    SENDING = "sending"  # the HTTP call is under way
    SENT = "sent"  # Telegram accepted it
    UNKNOWN = "unknown"  # the call may or may not have arrived: never sent again
    MISSED = "missed"  # its grace window ended before it could be sent
    FAILED = "failed"  # Telegram refused it for good (blocked, chat not found, ...)


class DateStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SWAPPED = "swapped"


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    YES = "yes"
    NO = "no"
    NEGOTIATE = "negotiate"
    AGREED = "agreed"  # after negotiating, one side accepted the other's version
    WITHDRAWN = "withdrawn"  # after negotiating, one side said no


class FollowUpKind(enum.StrEnum):
    """A one-off message the tick sends later (see `FollowUp`)."""

    DATE_REMINDER = "date_reminder"  # on the planned day
    DATE_FEEDBACK = "date_feedback"  # the next day: "How was it?"
    DATE_REVEAL = "date_reveal"  # a day later: show what was answered
    REQUEST_CHECK = "request_check"  # a week after an agreement: "Did this happen?"


class MemoryKind(enum.StrEnum):
    """What an item of the memory book is (bot.services.memories)."""

    CHECKIN = "checkin"  # a revealed check-in (or an answer shared anyway)
    APPRECIATION = "appreciation"
    DATE = "date"  # a date done, with its "How was it?"
    REQUEST = "request"  # an agreed request
    NOTE = "note"  # saved with /remember


class MemoryMarkKind(enum.StrEnum):
    FAVOURITE = "favourite"  # the presser's own favourite
    REMOVED = "removed"  # its author took it (or their part of it) out of the book


class FlowKind(enum.StrEnum):
    """A guided ritual the two partners run together (see `GuidedFlow`)."""

    EYES = "eyes"  # eye-contact minutes
    UNWIND = "unwind"  # the stress-reducing conversation, in two turns


class FlowStep(enum.StrEnum):
    INVITED = "invited"  # one partner invited, the other has not answered
    CHOOSING = "choosing"  # both choose how long
    RUNNING = "running"  # the timer runs (3-2-1, then the minutes; or a turn of talking)
    WORDS = "words"  # afterwards: one optional word each
    REPLY = "reply"  # after a turn of talking, the listener picks a reply for the speaker
    CLOSED = "closed"  # over (done, ended, declined or timed out)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Couple(Base):
    __tablename__ = "couples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # How deep the check-in questions may go (prompt_bank.Depth); None: the default by age.
    depth_ceiling: Mapped[int | None] = mapped_column(default=None)
    # A partner asked to raise the ceiling to this depth; the other has not answered yet.
    depth_asked: Mapped[int | None] = mapped_column(default=None)
    depth_asked_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", use_alter=True), default=None
    )
    # Who asked for the pause: only they end it alone (the partner can ask them to).
    paused_by: Mapped[int | None] = mapped_column(BigInteger, default=None)


class User(Base):
    """A Telegram user who has talked to the bot. The primary key is the Telegram user id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    first_name: Mapped[str] = mapped_column(String(128))
    telegram_language: Mapped[str | None] = mapped_column(String(16), default=None)
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    couple_id: Mapped[int | None] = mapped_column(
        ForeignKey("couples.id", ondelete="SET NULL"), default=None, index=True
    )
    # False once Telegram says the user blocked the bot; true again when they write.
    is_active: Mapped[bool] = mapped_column(default=True)
    inactive_notice_sent: Mapped[bool] = mapped_column(default=False)
    # The last time the weekly recap suggested a couples therapist (at most once a month).
    therapist_hint_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The last "a check-in closed before it was shared" notice (at most one a week).
    closing_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The last "on this day" line from the memory book (at most one a week).
    memory_line_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Invite(Base):
    """A one-time pairing code. Only the SHA-256 of the code is stored."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inviter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class JoinAttempt(Base):
    """A failed attempt to join with a code, kept briefly to stop guessing."""

    __tablename__ = "join_attempts"
    __table_args__ = (Index("ix_join_attempts_user_at", "user_id", "attempted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProcessedUpdate(Base):
    """Update ids already handled, so a redelivered update changes nothing twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class RitualSchedule(Base):
    """When one partner receives one ritual. `next_fire_at` (UTC) is what the tick scans."""

    __tablename__ = "ritual_schedules"
    __table_args__ = (
        UniqueConstraint("user_id", "ritual", name="uq_ritual_schedules_user_ritual"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    ritual: Mapped[str] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(default=True)
    local_time: Mapped[str] = mapped_column(String(5))  # "HH:MM" in the user's zone
    weekday: Mapped[int | None] = mapped_column(default=None)  # 0 = Monday; None = daily
    next_fire_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None, index=True)


class OutboxMessage(Base):
    """Everything the bot sends on its own, one row a message: scheduled ritual prompts
    (composed when sent) and messages to a partner (stored ready to send). A process claims
    a few rows with a lease, marks one `sending` just before its HTTP call and `sent` once
    Telegram accepted it; a row found `sending` after a crash is never sent again (it ends as
    `unknown`). For prompts, the unique (user, ritual, local date) key makes a second prompt
    for the same day impossible, across restarts and processes."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("user_id", "ritual", "local_date", name="uq_outbox_prompt_once"),
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # recipient
    # Whose words a message carries (erasing them deletes the message if still unsent).
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None, index=True
    )
    ritual: Mapped[str | None] = mapped_column(String(16), default=None)  # prompts only
    local_date: Mapped[date | None] = mapped_column(Date, default=None)  # prompts only
    payload: Mapped[str | None] = mapped_column(Text, default=None)  # messages; cleared once done
    status: Mapped[str] = mapped_column(String(16))  # OutboxStatus
    attempts: Mapped[int] = mapped_column(default=0)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime)  # the end of its grace window
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    detail: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class OpenStep(Base):
    """One step of an exchange that waits for this user: a tap (choosing a mood) or words (an
    answer, a need, an appreciation, a counter-proposal). Free text goes to a step only when
    the routing rules in `bot.services.conversation` say it is the one the user answers."""

    __tablename__ = "open_steps"
    # Ids are in buttons: on SQLite they must never be reused (AUTOINCREMENT), or an old
    # button could act on a newer step.
    __table_args__ = (
        Index("ix_open_steps_user_opened", "user_id", "opened_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))  # conversation.StepKind
    ref_id: Mapped[int | None] = mapped_column(default=None)  # the exchange's id
    ref_key: Mapped[str | None] = mapped_column(String(32), default=None)  # e.g. a prompt key
    # The Telegram message that asked for this step, so a reply to it is routed here.
    prompt_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class HeldText(Base):
    """Words the user sent while several steps were open, kept until they tap which step the
    words are for (or cancel). Never shown to anyone but their author."""

    __tablename__ = "held_texts"
    # Ids are in buttons: never reused (else an old question's button takes newer words).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class PromptShown(Base):
    """Which bank prompt was shown when, for the no-repeat rule: to one person (appreciation
    prompts, date ideas), or to the couple (`user_id` None: the day's check-in question, and
    every row from before prompts were remembered per person)."""

    __tablename__ = "prompts_shown"
    __table_args__ = (Index("ix_prompts_shown_couple_at", "couple_id", "shown_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None, index=True
    )
    prompt_key: Mapped[str] = mapped_column(String(32))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Checkin(Base):
    """One daily check-in exchange of a couple: revealed when both have answered."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_status_closes", "status", "closes_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    question_key: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # CheckinStatus
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class CheckinAnswer(Base):
    __tablename__ = "checkin_answers"
    __table_args__ = (
        UniqueConstraint("checkin_id", "user_id", name="uq_checkin_answers_checkin_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(8))  # AnswerStep
    mood: Mapped[int | None] = mapped_column(default=None)
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    draft: Mapped[str | None] = mapped_column(Text, default=None)  # too long, kept until shortened
    # A photo answer to a question that invites one: Telegram's file id (the photo itself
    # stays with Telegram); `answer` then holds its caption, if any.
    photo_file_id: Mapped[str | None] = mapped_column(String(256), default=None)
    need: Mapped[str | None] = mapped_column(Text, default=None)
    need_reply: Mapped[str | None] = mapped_column(String(8), default=None)  # yes | no | talk
    # The partner's note with "Not today" (their words: erased with them).
    need_note: Mapped[str | None] = mapped_column(Text, default=None)
    # "Let's talk about it": when both are reminded; the need stays open until closed.
    talk_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    need_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A check-in that closed with only this answer, shared anyway by its author.
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Reaction(Base):
    """A one-tap reaction to a partner's revealed check-in."""

    __tablename__ = "reactions"
    __table_args__ = (
        UniqueConstraint("checkin_id", "from_user_id", "kind", name="uq_reactions_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Appreciation(Base):
    __tablename__ = "appreciations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # SET NULL: when the recipient erases their data, the sender's own words stay theirs.
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    prompt_key: Mapped[str | None] = mapped_column(String(32), default=None)
    text: Mapped[str] = mapped_column(Text)  # a photo's caption ("" without one)
    # A photo answer to a prompt that invites one: Telegram's file id, never the photo itself.
    photo_file_id: Mapped[str | None] = mapped_column(String(256), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class DateProposal(Base):
    __tablename__ = "date_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    idea_key: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # DateStatus
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # After "accept": the day the proposer chose (a date in their zone), and a time if given.
    planned_on: Mapped[date | None] = mapped_column(Date, default=None)
    planned_time: Mapped[str | None] = mapped_column(String(5), default=None)  # "HH:MM"
    # When "How was it?" was revealed a day after asking: later answers go at once.
    feedback_revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class DateFeedback(Base):
    """One partner's "How was it?" after a date: an emoji rating and optional words, shown to
    the partner once both answered or a day after asking."""

    __tablename__ = "date_feedback"
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id", name="uq_date_feedback_proposal_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("date_proposals.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int | None] = mapped_column(default=None)  # 1-3; None until tapped
    words: Mapped[str | None] = mapped_column(Text, default=None)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class FollowUp(Base):
    """A one-off message due later (a date's reminder, "How was it?", a request's check):
    the tick sends what is due through the outbox and deletes the row."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_kind_due", "kind", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # FollowUpKind
    ref_id: Mapped[int] = mapped_column()  # the proposal's or request's id
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Request(Base):
    """A clear request, answered only yes, no, or let's negotiate (with a counter-proposal)."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # SET NULL: when the recipient erases their data, the sender's own words stay theirs.
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # RequestStatus
    counter_text: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Negotiating: who wrote the latest version, who is writing the next one (None while the
    # other side decides), and how many versions there were (buttons carry it).
    counter_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    writer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    rounds: Mapped[int] = mapped_column(default=0)
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # "Did this happen?" a week after the agreement: times asked, and the last reply.
    checks_sent: Mapped[int] = mapped_column(default=0)
    check_reply: Mapped[str | None] = mapped_column(String(8), default=None)


class MemoryNote(Base):
    """Something a partner saved for the couple's memory book with /remember: words, or a
    photo's Telegram file id with its caption (the photo itself is never downloaded)."""

    __tablename__ = "memory_notes"
    # Ids are in buttons: never reused (else an old 🗑 could remove a newer note).
    __table_args__ = (
        Index("ix_memory_notes_couple_at", "couple_id", "created_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    photo_file_id: Mapped[str | None] = mapped_column(String(256), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MemoryMark(Base):
    """One partner's mark on an item of the memory book: a favourite of theirs, or their own
    words taken out of the book (the exchange itself stays, e.g. in /export)."""

    __tablename__ = "memory_marks"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "ref_id", "mark", name="uq_memory_marks_once"),
        Index("ix_memory_marks_kind_ref", "kind", "ref_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # MemoryKind
    ref_id: Mapped[int] = mapped_column()  # the item's id in its own table
    mark: Mapped[str] = mapped_column(String(16))  # MemoryMarkKind
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DayKind(enum.StrEnum):
    """What an important day of a couple is."""

    ANNIVERSARY = "anniversary"  # shared: one a couple
    BIRTHDAY = "birthday"  # one partner's: one each
    OTHER = "other"  # shared, with a name


class DayNoticeKind(enum.StrEnum):
    REMINDER = "reminder"  # three days before
    GREETING = "greeting"  # on the day


class Gesture(Base):
    """A hug (/hug, 💞) sent to the partner: kept a week, for the daily limit and so that its
    "💞 back" button can be checked; never counted in any recap."""

    __tablename__ = "gestures"
    # Ids are in buttons: never reused.
    __table_args__ = (
        Index("ix_gestures_from_day", "from_user_id", "local_date"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    local_date: Mapped[date] = mapped_column(Date)  # the sender's day, in their zone
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # When the recipient hugged back with this hug's button (once).
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class ImportantDay(Base):
    """A day a couple keeps (`/days`): month and day only, never a year."""

    __tablename__ = "important_days"
    # Ids are in buttons: never reused.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # DayKind
    # Whose birthday it is (None for a shared day).
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None, index=True
    )
    added_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None, index=True
    )
    name: Mapped[str | None] = mapped_column(String(64), default=None)  # an "other" day's name
    month: Mapped[int] = mapped_column()
    day: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DayNotice(Base):
    """A reminder or greeting for an important day that was put in the outbox: one per day,
    recipient, kind and year, so that no tick and no instance sends it twice."""

    __tablename__ = "day_notices"
    __table_args__ = (
        UniqueConstraint("day_id", "user_id", "kind", "year", name="uq_day_notices_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("important_days.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # DayNoticeKind
    year: Mapped[int] = mapped_column()
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class GuidedFlow(Base):
    """One guided ritual of a couple, from the invitation to its close: at most one open
    (step not `closed`) per couple. Timers are stored moments, so a restart resumes them."""

    __tablename__ = "guided_flows"
    __table_args__ = (Index("ix_guided_flows_step_deadline", "step", "deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # FlowKind
    step: Mapped[str] = mapped_column(String(16))  # FlowStep
    started_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the current step ends by itself: a time-out, or the end of the timer.
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    # The timer: the agreed length, and when it starts (after the 3-2-1).
    minutes: Mapped[int | None] = mapped_column(default=None)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class FlowPart(Base):
    """One partner's side of a guided flow: their choice, their words, their timer message."""

    __tablename__ = "flow_parts"
    __table_args__ = (UniqueConstraint("flow_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("guided_flows.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    choice: Mapped[int | None] = mapped_column(default=None)  # e.g. minutes chosen
    words: Mapped[str | None] = mapped_column(Text, default=None)
    done: Mapped[bool] = mapped_column(default=False)  # wrote or passed
    # The timer message in their chat, once it was sent (it is edited as time passes).
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)


class LoveProfile(Base):
    """A user's love-language quiz (/lovelanguage): the answers so far and the finished
    profile (one digit per answer, see `love_languages`), and with which couple it is shared."""

    __tablename__ = "love_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    answers: Mapped[str] = mapped_column(String(16), default="")  # the quiz in progress
    result: Mapped[str | None] = mapped_column(String(16), default=None)  # the last finished one
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The couple the user agreed to share it with; a new pairing starts unshared.
    shared_with: Mapped[int | None] = mapped_column(
        ForeignKey("couples.id", ondelete="SET NULL"), default=None
    )
