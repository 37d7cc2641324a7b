"""A bilingual couple: each partner reads everything in their own language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram.ext import Application

from bot.clock import FakeClock
from bot.local_api import LocalBotApi, SimulatedUser
from tests.e2e.conftest import pair_up

GREETING_ES = "¡Hola, Diego! Ayudo a las parejas a mantenerse cerca con pequeños rituales:"


async def check_in(person: SimulatedUser, answer: str, skip: str) -> None:
    await person.send("/checkin")
    question = await person.next_message()
    await person.press("🙂", question)
    await person.wait_edit(question)
    await person.next_message()
    await person.send(answer)
    need = await person.next_message()
    await person.press(skip, need)
    await person.wait_edit(need)


async def test_russian_and_spanish_partners(
    api: LocalBotApi, bot: Application, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    olga = api.user(3001, "Ольга", language_code="ru")
    diego = api.user(3002, "Diego", language_code="es-MX")
    await diego.send("/start")
    greeting = await diego.next_message()
    assert greeting.entities_text.startswith(GREETING_ES)
    await pair_up(api, olga, diego)
    assert any("Diego теперь с тобой в паре" in (m.text or "") for m in olga.messages)
    assert any("ya te vinculaste con Ольга" in (m.text or "") for m in diego.messages)

    for day in range(2):  # two days of check-ins together: a streak of 2
        await check_in(olga, f"день {day}", "Пропустить")
        saved = await olga.next_message()
        assert "Спасибо, ответ сохранён" in saved.entities_text
        await check_in(diego, f"día {day}", "Omitir")
        ru_reveal = await olga.wait_for("Ваш чек-ин")
        es_reveal = await diego.wait_for("Tu check-in")
        for reveal in (ru_reveal, es_reveal):
            assert f"день {day}" in reveal.entities_text and f"día {day}" in reveal.entities_text
        assert "Ты" in ru_reveal.entities_text and "Tú" in es_reveal.entities_text
        clock.advance(timedelta(days=1))

    await olga.send("/recap")
    ru_chart = await olga.wait_for(predicate=lambda m: m.photo is not None)
    assert "Ваша неделя вместе" in (ru_chart.caption or "")
    ru_figures = (await olga.next_message()).entities_text
    assert "🔥 2 дня подряд вместе" in ru_figures  # Russian "few" plural form
    await diego.send("/recap")
    await diego.wait_for(predicate=lambda m: m.photo is not None)
    es_figures = (await diego.next_message()).entities_text
    assert "🔥 2 días seguidos en pareja" in es_figures

    await olga.send("/time")
    assert "четверг" in (await olga.next_message()).entities_text  # Babel weekday name
    await diego.send("/time")
    assert "jueves" in (await diego.next_message()).entities_text
