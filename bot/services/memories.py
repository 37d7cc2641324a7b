"""The couple's memory book: what they shared, newest first. Revealed check-ins (and answers
shared anyway), appreciations, dates done with their "How was it?", agreed requests, and notes
saved with /remember. Only what both could already see appears: an unrevealed answer, or a
partner's "How was it?" not yet shown, never does. Each partner keeps their own favourites;
an author takes their own words out of the book (the exchange itself stays until retention or
erasure). "On this day" recalls one line from a month, three, six or twelve months ago."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, exists, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased
from sqlalchemy.sql.elements import ColumnElement

from bot.models import (
    Appreciation,
    Checkin,
    CheckinAnswer,
    CheckinStatus,
    DateFeedback,
    DateProposal,
    DateStatus,
    MemoryKind,
    MemoryMark,
    MemoryMarkKind,
    MemoryNote,
    Request,
    RequestStatus,
    User,
)
from bot.services.depth import LOW_MOOD
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person, row_of
from bot.services.work import Work

PAGE_SIZE = 5
MAX_NOTE_LENGTH = 500
MAX_LINE = 160  # characters of words quoted in an "on this day" line
LINE_EVERY = timedelta(days=7)  # at most one "on this day" line a week per person
MONTHS_BACK = (1, 3, 6, 12)
FAVOURABLE = (MemoryKind.CHECKIN, MemoryKind.APPRECIATION)  # what a ⭐ button keeps


@dataclass(frozen=True, slots=True)
class Part:
    """One partner's words in an item: their mood (check-ins) or rating (dates) and words."""

    mine: bool  # the reader's own
    score: int | None
    words: str | None


@dataclass(frozen=True, slots=True)
class Memory:
    kind: MemoryKind
    ref_id: int
    at: datetime  # UTC
    key: str | None  # the question (check-ins) or the idea (dates)
    parts: tuple[Part, ...]
    mine: bool  # the reader wrote (part of) it, so they may take it out
    favourite: bool = False  # the reader's own favourite
    photo: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    couple_id: int
    number: int  # from 0
    pages: int  # at least 1
    view: View
    items: tuple[Memory, ...]


@dataclass(frozen=True, slots=True)
class Recalled:
    """An "on this day" line: who wrote what, and how many months ago."""

    months: int
    mine: bool
    words: str


class View(enum.StrEnum):
    ALL = "a"
    FAVOURITES = "f"  # the reader's own favourites only


class NotPaired(Exception):
    pass


async def _marks(session: AsyncSession, user_ids: list[int]) -> set[tuple[int, str, int, str]]:
    rows = await session.execute(
        select(MemoryMark.user_id, MemoryMark.kind, MemoryMark.ref_id, MemoryMark.mark).where(
            MemoryMark.user_id.in_(user_ids)
        )
    )
    return {(r[0], r[1], r[2], r[3]) for r in rows}


async def _items(
    session: AsyncSession,
    couple_id: int,
    me: int,
    today: date,
    only: tuple[MemoryKind, int] | None = None,
) -> list[Memory]:
    """Every item of the couple's book as `me` sees it, newest first (or the one `only`
    names). What its author took out is left out."""
    members = await session.execute(select(User.id).where(User.couple_id == couple_id))
    people = list(members.scalars()) or [me]
    marks = await _marks(session, people)

    def removed(author: int | None, kind: MemoryKind, ref: int) -> bool:
        return (author or 0, kind.value, ref, MemoryMarkKind.REMOVED.value) in marks

    def favourite(kind: MemoryKind, ref: int) -> bool:
        return (me, kind.value, ref, MemoryMarkKind.FAVOURITE.value) in marks

    def wanted(kind: MemoryKind) -> bool:
        return only is None or only[0] is kind

    def ref_is(column: Mapped[int], kind: MemoryKind) -> ColumnElement[bool]:
        return column == only[1] if only is not None and only[0] is kind else literal(True)

    items: list[Memory] = []
    if wanted(MemoryKind.CHECKIN):
        rows = await session.execute(
            select(Checkin, CheckinAnswer)
            .join(CheckinAnswer, CheckinAnswer.checkin_id == Checkin.id)
            .where(
                Checkin.couple_id == couple_id,
                ref_is(Checkin.id, MemoryKind.CHECKIN),
                or_(
                    Checkin.status == CheckinStatus.REVEALED.value,
                    CheckinAnswer.shared_at.is_not(None),
                ),
            )
            .order_by(Checkin.id, CheckinAnswer.user_id != me)
        )
        grouped: dict[int, tuple[Checkin, list[CheckinAnswer]]] = {}
        for checkin, answer in rows.all():
            grouped.setdefault(checkin.id, (checkin, []))[1].append(answer)
        for checkin, answers in grouped.values():
            kept = [a for a in answers if not removed(a.user_id, MemoryKind.CHECKIN, checkin.id)]
            if not kept:
                continue
            items.append(
                Memory(
                    MemoryKind.CHECKIN,
                    checkin.id,
                    checkin.opened_at,
                    checkin.question_key,
                    tuple(Part(a.user_id == me, a.mood, a.answer) for a in kept),
                    any(a.user_id == me for a in kept),
                    favourite(MemoryKind.CHECKIN, checkin.id),
                )
            )
    if wanted(MemoryKind.APPRECIATION):
        for row in (
            await session.execute(
                select(Appreciation).where(
                    Appreciation.couple_id == couple_id,
                    ref_is(Appreciation.id, MemoryKind.APPRECIATION),
                )
            )
        ).scalars():
            if removed(row.from_user_id, MemoryKind.APPRECIATION, row.id):
                continue
            mine = row.from_user_id == me
            items.append(
                Memory(
                    MemoryKind.APPRECIATION,
                    row.id,
                    row.created_at,
                    None,
                    (Part(mine, None, row.text),),
                    mine,
                    favourite(MemoryKind.APPRECIATION, row.id),
                )
            )
    if wanted(MemoryKind.DATE):
        proposals = (
            await session.execute(
                select(DateProposal).where(
                    DateProposal.couple_id == couple_id,
                    ref_is(DateProposal.id, MemoryKind.DATE),
                    DateProposal.status == DateStatus.ACCEPTED.value,
                    DateProposal.planned_on < today,
                )
            )
        ).scalars()
        for proposal in proposals:
            if removed(proposal.proposer_id, MemoryKind.DATE, proposal.id):
                continue
            assert proposal.planned_on is not None
            feedback = (
                await session.execute(
                    select(DateFeedback)
                    .where(
                        DateFeedback.proposal_id == proposal.id,
                        DateFeedback.rating.is_not(None),
                        or_(DateFeedback.user_id == me, DateFeedback.revealed_at.is_not(None)),
                    )
                    .order_by(DateFeedback.user_id != me)
                )
            ).scalars()
            items.append(
                Memory(
                    MemoryKind.DATE,
                    proposal.id,
                    datetime.combine(proposal.planned_on, time(12), tzinfo=UTC),
                    proposal.idea_key,
                    tuple(Part(f.user_id == me, f.rating, f.words) for f in feedback),
                    proposal.proposer_id == me,
                    favourite(MemoryKind.DATE, proposal.id),
                )
            )
    if wanted(MemoryKind.REQUEST):
        for request in (
            await session.execute(
                select(Request).where(
                    Request.couple_id == couple_id,
                    ref_is(Request.id, MemoryKind.REQUEST),
                    Request.status.in_((RequestStatus.YES.value, RequestStatus.AGREED.value)),
                )
            )
        ).scalars():
            if removed(request.from_user_id, MemoryKind.REQUEST, request.id):
                continue
            agreed = request.counter_text if request.status == RequestStatus.AGREED else None
            mine = request.from_user_id == me
            items.append(
                Memory(
                    MemoryKind.REQUEST,
                    request.id,
                    request.agreed_at or request.answered_at or request.created_at,
                    None,
                    (Part(mine, None, agreed or request.text),),
                    mine,
                    favourite(MemoryKind.REQUEST, request.id),
                )
            )
    if wanted(MemoryKind.NOTE):
        for note in (
            await session.execute(
                select(MemoryNote).where(
                    MemoryNote.couple_id == couple_id, ref_is(MemoryNote.id, MemoryKind.NOTE)
                )
            )
        ).scalars():
            mine = note.author_id == me
            items.append(
                Memory(
                    MemoryKind.NOTE,
                    note.id,
                    note.created_at,
                    None,
                    (Part(mine, None, note.text),),
                    mine,
                    favourite(MemoryKind.NOTE, note.id),
                    note.photo_file_id is not None,
                )
            )
    items.sort(key=lambda m: (m.at, m.kind.value, m.ref_id), reverse=True)
    return items


def _today(user: User, now: datetime) -> date:
    return now.astimezone(ZoneInfo(user.timezone)).date()


async def _couple_of(work: Work, me: Person) -> tuple[User, int]:
    user = await row_of(work, me)
    if user.couple_id is None:
        raise NotPaired
    return user, user.couple_id


async def book(work: Work, me: Person, page: int, view: View, now: datetime) -> Page:
    """One page of the couple's book (the last one when `page` is past the end)."""
    user, couple_id = await _couple_of(work, me)
    items = await _items(work.session, couple_id, me.id, _today(user, now))
    if view is View.FAVOURITES:
        items = [item for item in items if item.favourite]
    pages = max(1, -(-len(items) // PAGE_SIZE))
    number = min(max(page, 0), pages - 1)
    shown = items[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
    return Page(couple_id, number, pages, view, tuple(shown))


async def turn_page(
    work: Work, me: Person, couple_id: int, page: int, view: View, now: datetime
) -> Page:
    """A ◀ ▶ tap: only on the presser's own couple's book."""
    if me.couple_id is None or couple_id != me.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    return await book(work, me, page, view, now)


async def remember(
    work: Work, me: Person, text: str, photo_file_id: str | None, now: datetime
) -> int:
    """Save words (or a photo's file id with its caption) in the couple's book, at once."""
    _user, couple_id = await _couple_of(work, me)
    if len(text) > MAX_NOTE_LENGTH:
        raise TooLong(len(text), MAX_NOTE_LENGTH)
    note = MemoryNote(
        couple_id=couple_id,
        author_id=me.id,
        text=text,
        photo_file_id=photo_file_id,
        created_at=now,
    )
    work.session.add(note)
    await work.session.flush()
    return note.id


async def _visible(work: Work, me: Person, kind: MemoryKind, ref_id: int, now: datetime) -> Memory:
    """The item as the presser sees it in their couple's book; refused when it is not there."""
    user = await row_of(work, me)
    if user.couple_id is None:
        raise ExchangeError(Stale.NOT_YOURS)
    found = await _items(work.session, user.couple_id, me.id, _today(user, now), (kind, ref_id))
    if not found:
        raise ExchangeError(Stale.NOT_YOURS)
    return found[0]


async def toggle_favourite(
    work: Work, me: Person, kind: MemoryKind, ref_id: int, now: datetime
) -> bool:
    """Keep the item as the presser's own favourite, or let it go; True when it is one now."""
    if kind not in FAVOURABLE:
        raise ExchangeError(Stale.NOT_YOURS)
    item = await _visible(work, me, kind, ref_id, now)
    mark = (
        await work.session.execute(
            select(MemoryMark).where(
                MemoryMark.user_id == me.id,
                MemoryMark.kind == kind.value,
                MemoryMark.ref_id == item.ref_id,
                MemoryMark.mark == MemoryMarkKind.FAVOURITE.value,
            )
        )
    ).scalar_one_or_none()
    if mark is not None:
        await work.session.delete(mark)
        await work.session.flush()
        return False
    work.session.add(
        MemoryMark(
            user_id=me.id,
            kind=kind.value,
            ref_id=item.ref_id,
            mark=MemoryMarkKind.FAVOURITE.value,
            created_at=now,
        )
    )
    await work.session.flush()
    return True


async def take_out(work: Work, me: Person, kind: MemoryKind, ref_id: int, now: datetime) -> None:
    """The author takes their words out of the book: a note is deleted; of an exchange, the
    book no longer shows their part (the exchange itself stays)."""
    item = await _visible(work, me, kind, ref_id, now)
    if not item.mine:
        raise ExchangeError(Stale.NOT_YOURS)
    if kind is MemoryKind.NOTE:
        await work.session.execute(delete(MemoryNote).where(MemoryNote.id == ref_id))
    else:
        work.session.add(
            MemoryMark(
                user_id=me.id,
                kind=kind.value,
                ref_id=ref_id,
                mark=MemoryMarkKind.REMOVED.value,
                created_at=now,
            )
        )
    await work.session.execute(
        delete(MemoryMark).where(
            MemoryMark.kind == kind.value,
            MemoryMark.ref_id == ref_id,
            MemoryMark.mark == MemoryMarkKind.FAVOURITE.value,
            MemoryMark.user_id == me.id,
        )
    )
    await work.session.flush()


async def photo_of(work: Work, me: Person, note_id: int, now: datetime) -> str:
    """The Telegram file id of a photo saved in the presser's couple's book."""
    item = await _visible(work, me, MemoryKind.NOTE, note_id, now)
    if not item.photo:
        raise ExchangeError(Stale.NOT_YOURS)
    file_id = (
        await work.session.execute(select(MemoryNote.photo_file_id).where(MemoryNote.id == note_id))
    ).scalar_one()
    assert file_id is not None
    return str(file_id)


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def _not_removed(
    kind: MemoryKind, ref: Mapped[int], author: Mapped[int] | Mapped[int | None]
) -> ColumnElement[bool]:
    return ~exists().where(
        MemoryMark.kind == kind.value,
        MemoryMark.ref_id == ref,
        MemoryMark.user_id == author,
        MemoryMark.mark == MemoryMarkKind.REMOVED.value,
    )


async def on_this_day(work: Work, me: Person, now: datetime) -> Recalled | None:
    """One line from a month, three, six or twelve months ago to the day (twelve only while
    retention still keeps it), for today's check-in or appreciation message: at most once a
    week, never from a check-in with a low mood, never what its author took out. One query,
    on the couple's indexed rows of those days."""
    user = await row_of(work, me)
    if user.couple_id is None:
        return None
    if user.memory_line_at is not None and now - user.memory_line_at < LINE_EVERY:
        return None
    zone = ZoneInfo(user.timezone)
    today = now.astimezone(zone).date()
    days = {_months_before(today, months): months for months in MONTHS_BACK}

    def within(column: Mapped[datetime]) -> ColumnElement[bool]:
        return or_(
            *(
                and_(
                    column >= datetime.combine(day, time(), tzinfo=zone),
                    column < datetime.combine(day + timedelta(days=1), time(), tzinfo=zone),
                )
                for day in days
            )
        )

    other = aliased(CheckinAnswer)
    low = (
        select(other.id)
        .where(other.checkin_id == Checkin.id, other.mood <= LOW_MOOD)
        .correlate(Checkin)
        .exists()
    )
    answers = (
        select(
            CheckinAnswer.answer.label("words"),
            CheckinAnswer.user_id.label("author"),
            Checkin.opened_at.label("at"),
        )
        .join(Checkin, Checkin.id == CheckinAnswer.checkin_id)
        .where(
            Checkin.couple_id == user.couple_id,
            within(Checkin.opened_at),
            Checkin.status == CheckinStatus.REVEALED.value,
            CheckinAnswer.answer.is_not(None),
            ~low,
            _not_removed(MemoryKind.CHECKIN, Checkin.id, CheckinAnswer.user_id),
        )
    )
    appreciations = select(
        Appreciation.text.label("words"),
        Appreciation.from_user_id.label("author"),
        Appreciation.created_at.label("at"),
    ).where(
        Appreciation.couple_id == user.couple_id,
        within(Appreciation.created_at),
        _not_removed(MemoryKind.APPRECIATION, Appreciation.id, Appreciation.from_user_id),
    )
    notes = select(
        MemoryNote.text.label("words"),
        MemoryNote.author_id.label("author"),
        MemoryNote.created_at.label("at"),
    ).where(
        MemoryNote.couple_id == user.couple_id,
        within(MemoryNote.created_at),
        MemoryNote.text != "",  # a photo without words has no line to quote
    )
    every = union_all(answers, appreciations, notes).subquery()
    found = (
        await work.session.execute(
            select(every.c.words, every.c.author, every.c.at).order_by(every.c.at).limit(1)
        )
    ).first()
    if found is None:
        return None
    words, author, at = found
    user.memory_line_at = now
    await work.session.flush()
    return Recalled(days[at.astimezone(zone).date()], author == me.id, _shorten(str(words)))


def _shorten(words: str) -> str:
    line = " ".join(words.split())
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1].rstrip() + "…"


async def forget_orphans(session: AsyncSession) -> int:
    """Marks whose item is gone (pruned by retention, or erased with its author)."""
    sources: tuple[tuple[MemoryKind, Mapped[int]], ...] = (
        (MemoryKind.CHECKIN, Checkin.id),
        (MemoryKind.APPRECIATION, Appreciation.id),
        (MemoryKind.DATE, DateProposal.id),
        (MemoryKind.REQUEST, Request.id),
        (MemoryKind.NOTE, MemoryNote.id),
    )
    gone = 0
    for kind, column in sources:
        result = await session.execute(
            delete(MemoryMark).where(
                MemoryMark.kind == kind.value, ~exists().where(column == MemoryMark.ref_id)
            )
        )
        gone += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return gone


async def export_of(session: AsyncSession, user: User, zone: ZoneInfo) -> dict[str, Any]:
    """The user's part of the book for /export: their notes, the partner's notes in their
    couple's book, their favourites and what they took out."""
    notes = (
        await session.execute(
            select(MemoryNote)
            .where(
                or_(
                    MemoryNote.author_id == user.id,
                    MemoryNote.couple_id == (user.couple_id or 0),
                )
            )
            .order_by(MemoryNote.created_at)
        )
    ).scalars()
    marks = (
        await session.execute(
            select(MemoryMark).where(MemoryMark.user_id == user.id).order_by(MemoryMark.id)
        )
    ).scalars()
    return {
        "notes": [
            {
                "at": note.created_at.astimezone(zone).isoformat(),
                "by_me": note.author_id == user.id,
                "text": note.text,
                "telegram_photo_file_id": note.photo_file_id,
            }
            for note in notes
        ],
        "marks": [
            {
                "kind": mark.kind,
                "item_id": mark.ref_id,
                "mark": mark.mark,
                "at": mark.created_at.astimezone(zone).isoformat(),
            }
            for mark in marks
        ],
    }
