"""The playground in headless Chromium, as two people would use it.

Set PLAYGROUND_SCREENSHOT=docs/playground.png to save a screenshot of the revealed check-in.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

try:
    from playwright.async_api import expect
except ImportError:  # the `page` fixture skips (or fails under REQUIRE_BROWSER=1) first
    expect = None

from bot.playground import Playground
from tests.playground.conftest import pair_without_browser, wait_bot_text

ALEX_ANSWER = "The walk home in the first snow, hand in hand."
SAM_ANSWER = "Ein ruhiger Abend zu zweit, ganz ohne Handys."


async def say(pane: Any, text: str) -> None:
    box = pane.get_by_placeholder("Message")
    await box.fill(text)
    await box.press("Enter")


def shown_date(moment: datetime) -> re.Pattern[str]:
    """The top bar's date, e.g. "Wed, 25 Nov" (a comma or not, depending on ICU)."""
    return re.compile(rf"^{moment:%a},? {moment.day} {moment:%b}$")


def bot_bubbles(pane: Any, text: str) -> Any:
    return pane.locator(".msg.in").filter(has_text=text)


async def test_pairing_checkin_reveal_and_recap(page: Any, playground: Playground) -> None:
    await page.goto(playground.url + "/")
    await page.get_by_role("button", name="Start chatting").click()
    alex, sam = page.locator("#pane-a"), page.locator("#pane-b")
    await expect(alex.locator(".who-name")).to_have_text("Alex")
    await expect(sam.locator(".avatar")).to_have_text("S")
    await expect(bot_bubbles(alex, "Hi Alex!")).to_be_visible()
    await expect(bot_bubbles(sam, "Hallo Sam!")).to_be_visible()  # Sam reads German
    await expect(bot_bubbles(alex, "Your time zone is now Europe/Berlin")).to_be_visible()
    await expect(bot_bubbles(sam, "America/New_York")).to_be_visible()

    # Pairing: Alex asks for an invite, taps the link and opens it as Sam.
    await say(alex, "/pair")
    await expect(alex.locator(".msg.out").filter(has_text="/pair")).to_be_visible()
    link = alex.locator("a[href*='t.me/CouplesRitualsBot?start=']")
    await link.click()
    await page.get_by_role("button", name="Open as Sam").click()
    await expect(
        sam.locator(".msg.out").filter(has_text=re.compile(r"/start [\w-]{6,}"))
    ).to_be_visible()
    await expect(bot_bubbles(sam, "Du bist jetzt mit Alex verbunden")).to_be_visible()
    await expect(bot_bubbles(alex, "Sam accepted your invite")).to_be_visible()
    await expect(alex.locator(".who-sub")).to_contain_text("paired with Sam")

    # Both set their zone before pairing, so the bot does not ask again. The zone buttons of
    # /timezone edit the question in place, and its buttons go away.
    await expect(bot_bubbles(alex, "Which time zone are you in?")).to_have_count(0)
    for pane, command, question, city, confirmation in (
        (alex, "/timezone", "Which time zone are you in?", "Berlin", "now Europe/Berlin"),
        (sam, "/timezone", "In welcher Zeitzone lebst du?", "New York", "jetzt America/New_York"),
    ):
        await say(pane, command)
        await bot_bubbles(pane, question).get_by_role("button", name=city).click()
        edited = pane.locator(".msg.in").filter(has_text=confirmation).last
        await expect(edited.locator(".edited")).to_be_visible()
        await expect(edited.locator(".kb-btn")).to_have_count(0)

    # The check-in: mood, answer, skip the need; Alex first, then Sam.
    await say(alex, "/checkin")
    mood = bot_bubbles(alex, "How are you feeling today?")
    await mood.get_by_role("button", name="🙂").click()
    await expect(mood.locator(".edited")).to_be_visible()  # the mood question is edited
    await expect(bot_bubbles(alex, "Today's question")).to_be_visible()
    await say(alex, ALEX_ANSWER)
    await bot_bubbles(alex, "anything you need from Sam").get_by_role("button", name="Skip").click()
    await expect(bot_bubbles(alex, "as soon as Sam has answered")).to_be_visible()

    await say(sam, "/checkin")
    await bot_bubbles(sam, "Wie fühlst du dich heute?").get_by_role("button", name="😄").click()
    await expect(bot_bubbles(sam, "Frage des Tages")).to_be_visible()
    await say(sam, SAM_ANSWER)
    await bot_bubbles(sam, "etwas von Alex").get_by_role("button", name="Überspringen").click()

    # The reveal, in each person's own language, with both answers.
    alex_reveal = bot_bubbles(alex, "Your check-in")
    sam_reveal = bot_bubbles(sam, "Euer Check-in")
    for reveal in (alex_reveal, sam_reveal):
        await expect(reveal).to_contain_text(ALEX_ANSWER)
        await expect(reveal).to_contain_text(SAM_ANSWER)
    await expect(alex_reveal.locator("b").first).to_have_text("You")
    await expect(alex_reveal.get_by_role("button", name="Thank you for sharing")).to_be_visible()
    await expect(sam_reveal.get_by_role("button", name="Danke fürs Teilen")).to_be_visible()
    await expect(alex_reveal.locator("script, img")).to_have_count(0)
    screenshot = os.environ.get("PLAYGROUND_SCREENSHOT")
    if screenshot:
        await page.mouse.move(640, 790)
        await page.screenshot(path=screenshot)

    # The weekly recap, on request.
    await say(alex, "/recap")
    recap = bot_bubbles(alex, "Your week with Sam")
    await expect(recap).to_be_visible()
    await expect(recap).to_contain_text("You checked in together on 1 day this week")
    photos = alex.locator(".msg.in .media.photo img")
    if await photos.count():
        photo = photos.last
        await expect(photo).to_be_visible()
        width = await photo.evaluate(
            "async img => { await img.decode(); return img.naturalWidth; }"
        )
        assert width > 0


async def test_clock_controls(page: Any, playground: Playground) -> None:
    await page.goto(playground.url + "/?go=1")
    await expect(page.locator("#pane-a .who-name")).to_have_text("Alex")
    date = page.locator("#bot-date")
    before = playground.clock.now()
    await expect(date).to_have_text(shown_date(before))

    await page.get_by_role("button", name="+1 day").click()
    await expect(date).to_have_text(shown_date(before + timedelta(days=1)))
    assert playground.clock.now() - before >= timedelta(days=1)
    await wait_bot_text(playground, "a", "Europe/Berlin")
    await wait_bot_text(playground, "b", "America/New_York")

    # Monday 20:30 in Berlin: Alex's check-in (21:00 local) is the next ritual once paired.
    berlin = ZoneInfo("Europe/Berlin")
    local = (playground.clock.now() + timedelta(days=1)).astimezone(berlin)
    monday = local + timedelta(days=(7 - local.weekday()) % 7)
    playground.clock.jump_to(datetime.combine(monday.date(), time(20, 30), berlin))
    await pair_without_browser(playground)
    await wait_bot_text(playground, "b", "verbunden")
    await expect(page.locator("#next-ritual")).to_contain_text("Check-in · Alex")

    await page.get_by_role("button", name="Skip to next ritual").click()
    alex = page.locator("#pane-a")
    prompt = bot_bubbles(alex, "Time for your check-in")
    await expect(prompt).to_be_visible()
    await expect(prompt.get_by_role("button", name="😄")).to_be_visible()
    await expect(page.locator("#status")).to_contain_text("Check-in for Alex")
    await expect(alex.locator(".who-sub")).to_contain_text("Mon 21:00")
    await expect(page.locator("#pane-b").locator(".msg.in").last).not_to_contain_text("Check-in")
