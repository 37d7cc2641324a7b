"""/lovelanguage end to end: the quiz tapped through in place, the result and "Share it with
Ben?", the partner sees nothing until it is shared, gets it once shared, and loses it when it
is withdrawn; a stale quiz tap changes nothing."""

from __future__ import annotations

from telegram.ext import Application

from bot.local_api import LocalBotApi
from bot.prompt_bank import LoveLanguage
from bot.prompt_bank.love_quiz import QUIZ
from tests.e2e.conftest import pair_up, quiet

PREFER = (
    LoveLanguage.TIME,
    LoveLanguage.WORDS,
    LoveLanguage.GIFTS,
    LoveLanguage.SERVICE,
    LoveLanguage.TOUCH,
)
RESULT = "You feel most loved through quality time and words of affirmation."
FOR_BEN = "Ann feels most loved through quality time and words of affirmation."


def _label(number: int) -> str:
    options = QUIZ[number - 1]
    return min(options, key=lambda option: PREFER.index(option.language)).text


async def test_quiz_share_and_withdraw(api: LocalBotApi, bot: Application) -> None:
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)

    await ben.send("/lovelanguage")
    assert "Ann has not shared a profile with you yet." in (await ben.next_message()).text

    await ann.send("/lovelanguage")
    message = await ann.wait_for("no wrong answers")
    await ann.press("Take the quiz", message)
    for number in range(1, len(QUIZ) + 1):
        message = await ann.wait_edit(message)
        assert f"({number}/10)" in message.text
        assert len(message.buttons) == 2 and all(len(row) == 1 for row in message.buttons)
        await ann.press(_label(number), message)
    message = await ann.wait_edit(message)
    assert RESULT in message.text and "Share it with Ben?" in message.text
    assert message.buttons == [["Yes, share it", "Not now"]]

    # A tap on a question already behind: a short answer, nothing changes.
    stale = await ann.press_data("ll:q:3:0", message)
    assert (await ann.callback_answer(stale))["text"] == "That step is already behind you."

    await ben.send("/lovelanguage")
    assert "Ann has not shared a profile with you yet." in (await ben.next_message()).text

    await ann.press("Yes, share it", message)
    message = await ann.wait_edit(message)
    assert "Shared with Ben." in message.text and message.buttons == []
    assert FOR_BEN in (await ben.next_message()).text
    await ben.send("/lovelanguage")
    assert FOR_BEN in (await ben.next_message()).text

    await ann.send("/lovelanguage")
    overview = await ann.wait_for("Shared with Ben")
    await ann.press("Stop sharing", overview)
    assert "Only you can see it" in (await ann.wait_edit(overview)).text
    await ben.send("/lovelanguage")
    seen = await ben.next_message()
    assert "Ann has not shared a profile with you yet." in seen.text and FOR_BEN not in seen.text
    await quiet(api, bot, ann, ben)
