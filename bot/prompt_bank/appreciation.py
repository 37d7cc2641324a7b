"""Appreciation prompts: each asks the user to write a few words to their partner.

Keys are stable: never renumber or reuse one; add new prompts at the end.
"""

from __future__ import annotations

from bot.prompt_bank import Practice, Prompt
from locales import N_

P = Practice

APPRECIATION_PROMPTS: tuple[Prompt, ...] = (
    # Gratitude for what the partner did (001).
    Prompt(
        "appreciation.001",
        N_("What's something your partner did this week that you're grateful for? Tell them."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.002",
        N_("Thank your partner for one everyday thing they do that often goes unnoticed."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.003",
        N_(
            "Which chore or errand did your partner take care of lately? Let them know it mattered."
        ),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.004",
        N_("Write a quick thank-you for a moment this week when your partner made life easier."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.005",
        N_("Tell your partner about a time recently when they really showed up for you."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.006",
        N_("What did your partner do today, however small, that made you glad? Tell them."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.007",
        N_("Tell your partner one thing about your life together that you'd never want to lose."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.008",
        N_("Write a few words about how your partner helped you through something difficult."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.009",
        N_("Finish this sentence for your partner: I'm really glad you..."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.010",
        N_("Say I love you in your own words today, and give one reason with it."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.011",
        N_("What did your partner do lately that made a busy day feel lighter? Thank them."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.012",
        N_(
            "Tell your partner something you love about them that has nothing to do with "
            "what they do for you."
        ),
        P.APPRECIATION,
        "001",
    ),
    # Praising positive traits (000).
    Prompt(
        "appreciation.013",
        N_("Name one quality of your partner's that you admire, and when you last saw it."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.014",
        N_("What's something your partner is really good at? Tell them, with an example."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.015",
        N_("Tell your partner about a strength of theirs that makes you a better team."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.016",
        N_("Which trait of your partner's would you love to have a bit more of yourself?"),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.017",
        N_("If a friend asked what your partner is like, what would you say? Write it to them."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.018",
        N_("Which of your partner's quirks do you secretly adore? Let them in on it."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.019",
        N_("What do you admire about the way your partner treats other people?"),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.020",
        N_(
            "Tell your partner about something they did this week that was so them, in the best "
            "way."
        ),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.021",
        N_("What do you admire about how your partner deals with stress or setbacks?"),
        P.POSITIVE_TRAITS,
        "000",
    ),
    # Noticing something new about each other (001).
    Prompt(
        "appreciation.022",
        N_("What's something new you've noticed about your partner lately? Share it with them."),
        P.POSITIVE_TRAITS,
        "001",
    ),
    Prompt(
        "appreciation.023",
        N_("Tell your partner about a little detail of theirs that you've only spotted recently."),
        P.POSITIVE_TRAITS,
        "001",
    ),
    Prompt(
        "appreciation.024",
        N_("How has your partner grown since you met? Tell them you see it."),
        P.POSITIVE_TRAITS,
        "001",
    ),
    # Laughing together (001).
    Prompt(
        "appreciation.025",
        N_("Remind your partner of a moment when they made you laugh out loud."),
        P.LAUGHTER,
        "001",
    ),
    Prompt(
        "appreciation.026",
        N_("What's something your partner said or did that still makes you grin? Tell them."),
        P.LAUGHTER,
        "001",
    ),
    Prompt(
        "appreciation.027",
        N_("Tell your partner what you love about their sense of humor."),
        P.LAUGHTER,
        "001",
    ),
    # Unexpected kindness (001).
    Prompt(
        "appreciation.028",
        N_("Tell your partner about a kind thing they did that they probably think you missed."),
        P.KINDNESS,
        "001",
    ),
    Prompt(
        "appreciation.029",
        N_("When was your partner kind to someone else in a way that made you proud?"),
        P.KINDNESS,
        "001",
    ),
    Prompt(
        "appreciation.030",
        N_("Thank your partner for a small surprise or gesture they made recently."),
        P.KINDNESS,
        "001",
    ),
    # Love languages (004).
    Prompt(
        "appreciation.031",
        N_("What does your partner do that makes you feel loved? Tell them it lands."),
        P.LOVE_LANGUAGES,
        "004",
    ),
    Prompt(
        "appreciation.032",
        N_("Thank your partner for time they set aside just for the two of you."),
        P.LOVE_LANGUAGES,
        "004",
    ),
    Prompt(
        "appreciation.033",
        N_("Tell your partner about a hug, a touch, or a look of theirs that meant a lot to you."),
        P.LOVE_LANGUAGES,
        "004",
    ),
    Prompt(
        "appreciation.034",
        N_("Write three words that describe how your partner makes you feel, and send them."),
        P.LOVE_LANGUAGES,
        "004",
    ),
    # Remembering connected times (004).
    Prompt(
        "appreciation.035",
        N_("Tell your partner about a memory of the two of you that still warms your heart."),
        P.CONNECTED_TIMES,
        "004",
    ),
    Prompt(
        "appreciation.036",
        N_("Which moment from your early days together do you still think about? Remind them."),
        P.CONNECTED_TIMES,
        "004",
    ),
    Prompt(
        "appreciation.037",
        N_("Thank your partner for a time they stood by you when it counted."),
        P.CONNECTED_TIMES,
        "004",
    ),
    Prompt(
        "appreciation.038",
        N_("Think of a favorite photo of the two of you and tell your partner why it's special."),
        P.CONNECTED_TIMES,
        "004",
        invites_photo=True,
    ),
    # Full attention and being available (000, 001).
    Prompt(
        "appreciation.039",
        N_("Tell your partner about a time they truly listened to you, and what it meant."),
        P.FULL_ATTENTION,
        "000",
    ),
    Prompt(
        "appreciation.040",
        N_("Thank your partner for a moment this week when they made time for you."),
        P.FULL_ATTENTION,
        "001",
    ),
    # Reciprocal sharing, vulnerability, celebrating wins (002, 004).
    Prompt(
        "appreciation.041",
        N_("Tell your partner about a moment when you felt safe being completely yourself."),
        P.RECIPROCAL_SHARING,
        "002",
    ),
    Prompt(
        "appreciation.042",
        N_("Tell your partner about a recent win of theirs and how happy it made you."),
        P.RECIPROCAL_SHARING,
        "002",
    ),
    Prompt(
        "appreciation.043",
        N_("What did your partner share with you lately that you're glad they trusted you with?"),
        P.VULNERABILITY,
        "004",
    ),
    Prompt(
        "appreciation.044",
        N_("How did your partner handle something hard lately? Tell them what you saw in them."),
        P.VULNERABILITY,
        "002",
    ),
    # Shared dreams (000).
    Prompt(
        "appreciation.045",
        N_("Which of your partner's dreams are you rooting for? Tell them."),
        P.SHARED_DREAMS,
        "000",
    ),
    Prompt(
        "appreciation.046",
        N_("Tell your partner about something you're looking forward to doing together."),
        P.SHARED_DREAMS,
        "000",
    ),
    # Self-reflection: what the relationship shows you (003).
    Prompt(
        "appreciation.047",
        N_("What have you learned about yourself thanks to your partner? Let them know."),
        P.SELF_REFLECTION,
        "003",
    ),
    Prompt(
        "appreciation.048",
        N_("Tell your partner about a way they help you feel more like yourself."),
        P.SELF_REFLECTION,
        "003",
    ),
    # New experiences (001).
    Prompt(
        "appreciation.049",
        N_("Thank your partner for trying something new with you, or for you, lately."),
        P.NEW_EXPERIENCES,
        "001",
    ),
)
