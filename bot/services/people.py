"""People as the Telegram layer sees them: whom to answer, in which chat, language and time
zone, and who their couple is. Services turn their `User` rows into a `Person` before handing
them out (`person_in`), and back (`row_of`) when handlers hand one in."""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import User
from bot.services.work import Work
from locales import LANGUAGES, resolve_language


def language_of(user: User) -> str:
    """The language a user reads: their explicit choice, else Telegram's, else English."""
    if user.language in LANGUAGES:
        return user.language
    return resolve_language(user.telegram_language)


@dataclass(frozen=True, slots=True)
class Person:
    """A user at one moment: what handlers need to answer them and to name them."""

    id: int
    chat_id: int
    first_name: str
    language: str  # the language they read (see `language_of`)
    timezone: str
    couple_id: int | None


def person_in(work: Work, user: User) -> Person:
    """The user as a Person; their row stays at hand in `work` for `row_of`."""
    work.keep(user)
    return Person(
        id=user.id,
        chat_id=user.chat_id,
        first_name=user.first_name,
        language=language_of(user),
        timezone=user.timezone,
        couple_id=user.couple_id,
    )


async def row_of(work: Work, person: Person) -> User:
    """The person's row in this unit of work: the very row they were made from."""
    user = await work.session.get(User, person.id)
    assert user is not None, "a person is handed out only for a user that exists"
    return user
