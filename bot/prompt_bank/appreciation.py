"""Appreciation prompts: each asks the user to write a few words to their partner.

Keys are stable: never renumber, reuse or delete one (retire it with `retired=True`); add new
prompts at the end.
"""

from __future__ import annotations

from bot.prompt_bank import LoveLanguage, Practice, Prompt
from locales import N_

P = Practice
L = LoveLanguage

APPRECIATION_BANK: tuple[Prompt, ...] = (
    # Gratitude for what the partner did (000: say how grateful you are, not what went wrong).
    Prompt(
        "appreciation.001",
        N_("What's something your partner did this week that you're grateful for? Tell them."),
        P.APPRECIATION,
        "000",
    ),
    Prompt(
        "appreciation.002",
        N_("Thank your partner for one everyday thing they do that often goes unnoticed."),
        P.APPRECIATION,
        "000",
        serves=frozenset({L.SERVICE}),
    ),
    Prompt(
        "appreciation.003",
        N_(
            "Which chore or errand did your partner take care of lately? Let them know it mattered."
        ),
        P.APPRECIATION,
        "000",
        serves=frozenset({L.SERVICE}),
    ),
    Prompt(
        "appreciation.004",
        N_("Write a quick thank-you for a moment this week when your partner made life easier."),
        P.APPRECIATION,
        "000",
        serves=frozenset({L.SERVICE}),
    ),
    Prompt(
        "appreciation.005",
        N_("Tell your partner about a time recently when they really showed up for you."),
        P.APPRECIATION,
        "000",
    ),
    Prompt(
        "appreciation.006",
        N_("What did your partner do today, however small, that made you glad? Tell them."),
        P.APPRECIATION,
        "000",
    ),
    Prompt(
        "appreciation.007",
        N_("Tell your partner one thing about your life together that you'd never want to lose."),
        P.APPRECIATION,
        "000",
    ),
    Prompt(
        "appreciation.008",
        N_("Write a few words about how your partner helped you through something difficult."),
        P.APPRECIATION,
        "000",
    ),
    Prompt(
        "appreciation.009",
        N_("Finish this sentence for your partner: I'm really glad you..."),
        P.APPRECIATION,
        "000",
        serves=frozenset({L.WORDS}),
    ),
    # Saying I love you, often (001).
    Prompt(
        "appreciation.010",
        N_("Say I love you in your own words today, and give one reason with it."),
        P.APPRECIATION,
        "001",
        serves=frozenset({L.WORDS}),
    ),
    Prompt(
        "appreciation.011",
        N_("What did your partner do lately that made a busy day feel lighter? Thank them."),
        P.APPRECIATION,
        "000",
        serves=frozenset({L.SERVICE}),
    ),
    Prompt(
        "appreciation.012",
        N_(
            "Tell your partner something you love about them that has nothing to do with "
            "what they do for you."
        ),
        P.APPRECIATION,
        "001",
        serves=frozenset({L.WORDS}),
    ),
    # Praising positive traits (000).
    Prompt(
        "appreciation.013",
        N_("Name one quality of your partner's that you admire, and when you last saw it."),
        P.POSITIVE_TRAITS,
        "000",
        serves=frozenset({L.WORDS}),
    ),
    Prompt(
        "appreciation.014",
        N_("What's something your partner is really good at? Tell them, with an example."),
        P.POSITIVE_TRAITS,
        "000",
        serves=frozenset({L.WORDS}),
    ),
    Prompt(
        "appreciation.015",
        N_("Tell your partner about a strength of theirs that makes you a better team."),
        P.POSITIVE_TRAITS,
        "000",
        serves=frozenset({L.WORDS}),
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
        serves=frozenset({L.WORDS}),
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
        serves=frozenset({L.GIFTS}),
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
        serves=frozenset({L.TIME}),
    ),
    Prompt(
        "appreciation.033",
        N_("Tell your partner about a hug, a touch, or a look of theirs that meant a lot to you."),
        P.LOVE_LANGUAGES,
        "004",
        serves=frozenset({L.TOUCH}),
    ),
    Prompt(
        "appreciation.034",
        N_("Write three words that describe how your partner makes you feel, and send them."),
        P.LOVE_LANGUAGES,
        "004",
        retired=True,  # three bare words can hurt a strained couple
        serves=frozenset({L.WORDS}),
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
        serves=frozenset({L.TIME}),
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
        serves=frozenset({L.TIME}),
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
    # Trust, repair, letting go, agreements, listening, wonder, and more of the above.
    Prompt(
        "appreciation.050",
        N_("Thank your partner for a promise they kept, big or small."),
        P.AGREEMENTS,
        "000",
    ),
    Prompt(
        "appreciation.051",
        N_("Thank your partner for a time they reached out first after a tense moment."),
        P.REPAIR,
        "001",
    ),
    Prompt(
        "appreciation.052",
        N_("Tell your partner about a moment when you knew you could count on them."),
        P.TRUST,
        "000",
    ),
    Prompt(
        "appreciation.053",
        N_("What does your partner do that makes them easy to trust? Let them know."),
        P.TRUST,
        "000",
    ),
    Prompt(
        "appreciation.054",
        N_("Thank your partner for listening without rushing to fix things."),
        P.LISTENING,
        "002",
    ),
    Prompt(
        "appreciation.055",
        N_("Thank your partner for asking what you needed before jumping in with advice."),
        P.LISTENING,
        "002",
    ),
    Prompt(
        "appreciation.056",
        N_("Thank your partner for giving you room to cool down when you needed it."),
        P.SELF_SOOTHING,
        "002",
    ),
    Prompt(
        "appreciation.057",
        N_("Tell your partner about a way they help you feel calmer on a hectic day."),
        P.SELF_SOOTHING,
        "002",
    ),
    Prompt(
        "appreciation.058",
        N_("Thank your partner for checking in later on something you'd asked for."),
        P.FOLLOWING_UP,
        "000",
    ),
    Prompt(
        "appreciation.059",
        N_("Tell your partner how it felt when they remembered something that mattered to you."),
        P.FOLLOWING_UP,
        "000",
        serves=frozenset({L.GIFTS}),
    ),
    Prompt(
        "appreciation.060",
        N_("Thank your partner for letting a small thing slide instead of making it a big deal."),
        P.LETTING_GO,
        "000",
    ),
    Prompt(
        "appreciation.061",
        N_(
            "Tell your partner about a time they were gentle with you when you weren't at your "
            "best."
        ),
        P.LETTING_GO,
        "000",
    ),
    Prompt(
        "appreciation.062",
        N_(
            "Tell your partner about a moment of wonder you shared: a view, a night sky, a piece "
            "of music."
        ),
        P.SPIRITUAL_CONNECTION,
        "004",
    ),
    Prompt(
        "appreciation.063",
        N_("What beauty in the world does your partner help you notice? Tell them."),
        P.SPIRITUAL_CONNECTION,
        "004",
    ),
    Prompt(
        "appreciation.064",
        N_("Tell your partner one thing that makes you feel safe and at home with them."),
        P.TWO_FEARS,
        "000",
    ),
    Prompt(
        "appreciation.065",
        N_("Let your partner know how they leave you room to stay fully yourself."),
        P.TWO_FEARS,
        "000",
    ),
    Prompt(
        "appreciation.066",
        N_("Say I love you today, together with one small detail about them that you adore."),
        P.APPRECIATION,
        "001",
        serves=frozenset({L.WORDS}),
    ),
    Prompt(
        "appreciation.067",
        N_("Tell your partner what you love about the way they start their day."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.068",
        N_("Thank your partner for something they cooked, fixed, or sorted out lately."),
        P.APPRECIATION,
        "000",
        serves=frozenset({L.SERVICE}),
    ),
    Prompt(
        "appreciation.069",
        N_("Tell your partner about a habit of theirs that makes your home a nicer place."),
        P.APPRECIATION,
        "000",
    ),
    Prompt(
        "appreciation.070",
        N_("Thank your partner for a moment of patience you noticed this week."),
        P.APPRECIATION,
        "000",
    ),
    Prompt(
        "appreciation.071",
        N_("Tell your partner what you'd miss most about them if you spent a week apart."),
        P.APPRECIATION,
        "001",
    ),
    Prompt(
        "appreciation.072",
        N_("Thank your partner for cheering you on at a moment when you doubted yourself."),
        P.APPRECIATION,
        "000",
    ),
    Prompt(
        "appreciation.073",
        N_("Tell your partner what you admire about how they care for the people they love."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.074",
        N_("Name something your partner does with real skill or care, and tell them you noticed."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.075",
        N_("Tell your partner about something brave they did, even a quiet kind of brave."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.076",
        N_("How does your partner's curiosity or creativity brighten your life? Tell them."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.077",
        N_("Tell your partner about a value of theirs that you deeply respect."),
        P.POSITIVE_TRAITS,
        "000",
    ),
    Prompt(
        "appreciation.078",
        N_("Let your partner in on something fascinating about them that they may not realize."),
        P.POSITIVE_TRAITS,
        "001",
    ),
    Prompt(
        "appreciation.079",
        N_("Tell your partner about a side of them you've discovered in the past year."),
        P.POSITIVE_TRAITS,
        "001",
    ),
    Prompt(
        "appreciation.080",
        N_(
            "What did your partner do recently that showed you something new about them? Tell them."
        ),
        P.POSITIVE_TRAITS,
        "001",
    ),
    Prompt(
        "appreciation.081",
        N_("Send your partner a line about the last time they made you giggle."),
        P.LAUGHTER,
        "001",
    ),
    Prompt(
        "appreciation.082",
        N_("Thank your partner for being silly with you when you needed it most."),
        P.LAUGHTER,
        "001",
    ),
    Prompt(
        "appreciation.083",
        N_("Which of your shared jokes do you hope never gets old? Tell your partner."),
        P.LAUGHTER,
        "001",
    ),
    Prompt(
        "appreciation.084",
        N_("Tell your partner what you love about the sound of their laugh."),
        P.LAUGHTER,
        "001",
    ),
    Prompt(
        "appreciation.085",
        N_("Thank your partner for a kind thing they did that nobody asked them to do."),
        P.KINDNESS,
        "001",
        serves=frozenset({L.SERVICE}),
    ),
    Prompt(
        "appreciation.086",
        N_("Tell your partner about a time their kindness took you by surprise."),
        P.KINDNESS,
        "001",
    ),
    Prompt(
        "appreciation.087",
        N_("Tell your partner how their help on a busy morning or evening made a difference."),
        P.KINDNESS,
        "001",
        serves=frozenset({L.SERVICE}),
    ),
    Prompt(
        "appreciation.088",
        N_("Which of your partner's hugs do you love most? Describe it to them."),
        P.LOVE_LANGUAGES,
        "004",
        serves=frozenset({L.TOUCH}),
    ),
    Prompt(
        "appreciation.089",
        N_("Thank your partner for a chore they took on so you could rest."),
        P.LOVE_LANGUAGES,
        "004",
        serves=frozenset({L.SERVICE}),
    ),
    Prompt(
        "appreciation.090",
        N_("Tell your partner about a kind word of theirs that you still carry with you."),
        P.LOVE_LANGUAGES,
        "004",
        serves=frozenset({L.WORDS}),
    ),
    Prompt(
        "appreciation.091",
        N_("Thank your partner for a note, a gift, or a little surprise you've kept."),
        P.LOVE_LANGUAGES,
        "004",
        serves=frozenset({L.GIFTS}),
    ),
    Prompt(
        "appreciation.092",
        N_("Tell your partner about a quiet evening together that you really enjoyed."),
        P.LOVE_LANGUAGES,
        "004",
        serves=frozenset({L.TIME}),
    ),
    Prompt(
        "appreciation.093",
        N_(
            "Remind your partner of an outing together that you loved, with one detail you "
            "remember."
        ),
        P.CONNECTED_TIMES,
        "004",
        serves=frozenset({L.TIME}),
    ),
    Prompt(
        "appreciation.094",
        N_("Tell your partner about the moment you first thought they were someone special."),
        P.CONNECTED_TIMES,
        "004",
    ),
    Prompt(
        "appreciation.095",
        N_("Which little ritual of yours together do you cherish? Tell your partner."),
        P.CONNECTED_TIMES,
        "004",
        serves=frozenset({L.TIME}),
    ),
    Prompt(
        "appreciation.096",
        N_(
            "Remind your partner of a hard stretch you got through together, and what they brought "
            "to it."
        ),
        P.CONNECTED_TIMES,
        "004",
    ),
    Prompt(
        "appreciation.097",
        N_("Thank your partner for a conversation with them that you still think about."),
        P.FULL_ATTENTION,
        "000",
    ),
    Prompt(
        "appreciation.098",
        N_(
            "Tell your partner how good it feels when they put the phone away and are simply with "
            "you."
        ),
        P.FULL_ATTENTION,
        "004",
        serves=frozenset({L.TIME}),
    ),
    Prompt(
        "appreciation.099",
        N_("Thank your partner for noticing how you felt before you said a word."),
        P.FULL_ATTENTION,
        "000",
    ),
    Prompt(
        "appreciation.100",
        N_("Thank your partner for being there when you needed them lately."),
        P.FULL_ATTENTION,
        "001",
    ),
    Prompt(
        "appreciation.101",
        N_("Tell your partner about something they shared with you that brought you closer."),
        P.RECIPROCAL_SHARING,
        "002",
    ),
    Prompt(
        "appreciation.102",
        N_("Tell your partner you're excited about something coming up for them, and why."),
        P.RECIPROCAL_SHARING,
        "002",
    ),
    Prompt(
        "appreciation.103",
        N_("Thank your partner for a question they asked that showed real interest in you."),
        P.RECIPROCAL_SHARING,
        "001",
    ),
    Prompt(
        "appreciation.104",
        N_("Tell your partner how much you enjoy hearing about their day."),
        P.DAILY_CHECKIN,
        "004",
        serves=frozenset({L.TIME}),
    ),
    Prompt(
        "appreciation.105",
        N_(
            "Tell your partner you see how hard they're working on something, and that you're "
            "proud of them."
        ),
        P.RECIPROCAL_SHARING,
        "002",
    ),
    Prompt(
        "appreciation.106",
        N_("Thank your partner for being honest with you about something that wasn't easy to say."),
        P.VULNERABILITY,
        "004",
    ),
    Prompt(
        "appreciation.107",
        N_(
            "Tell your partner about a time they let you see their soft side, and how it felt to "
            "you."
        ),
        P.VULNERABILITY,
        "004",
    ),
    Prompt(
        "appreciation.108",
        N_("Tell your partner what you love about building a life with them."),
        P.SHARED_DREAMS,
        "000",
    ),
    Prompt(
        "appreciation.109",
        N_("Thank your partner for something they did for the two of you as a team."),
        P.SHARED_DREAMS,
        "000",
        serves=frozenset({L.SERVICE}),
    ),
    Prompt(
        "appreciation.110",
        N_("Thank your partner for encouraging you to rest or take some time for yourself."),
        P.SELF_CARE,
        "004",
    ),
    Prompt(
        "appreciation.111",
        N_("Tell your partner about a way they look after themselves that you admire."),
        P.SELF_CARE,
        "004",
    ),
    Prompt(
        "appreciation.112",
        N_("Thank your partner for saying yes to a little adventure with you."),
        P.NEW_EXPERIENCES,
        "001",
    ),
    Prompt(
        "appreciation.113",
        N_("Tell your partner about a first you shared that you'll always remember."),
        P.NEW_EXPERIENCES,
        "001",
    ),
    Prompt(
        "appreciation.114",
        N_("Tell your partner about one way they've helped you grow."),
        P.SELF_REFLECTION,
        "003",
    ),
    Prompt(
        "appreciation.115",
        N_("Thank your partner for handling a disagreement with care."),
        P.REPAIR,
        "001",
    ),
    Prompt(
        "appreciation.116",
        N_("Tell your partner about a time they said yes to something that mattered to you."),
        P.CLEAR_REQUESTS,
        "000",
    ),
    Prompt(
        "appreciation.117",
        N_("Thank your partner for telling you clearly what they needed, so you knew how to help."),
        P.CLEAR_REQUESTS,
        "000",
    ),
    Prompt(
        "appreciation.118",
        N_("Thank your partner for sticking to a plan the two of you made together."),
        P.AGREEMENTS,
        "000",
    ),
    Prompt(
        "appreciation.119",
        N_("Tell your partner how good it feels when you solve something side by side."),
        P.AGREEMENTS,
        "000",
    ),
    Prompt(
        "appreciation.120",
        N_("Thank your partner for keeping something you told them safe and private."),
        P.TRUST,
        "000",
    ),
    Prompt(
        "appreciation.121",
        N_("Tell your partner what it's like to be able to be tired, silly, or sad around them."),
        P.VULNERABILITY,
        "002",
    ),
    Prompt(
        "appreciation.122",
        N_("Thank your partner for staying calm and kind on a day that went sideways."),
        P.SELF_SOOTHING,
        "002",
    ),
    Prompt(
        "appreciation.123",
        N_("Tell your partner one thing about them you're grateful for today, just because."),
        P.APPRECIATION,
        "000",
        serves=frozenset({L.WORDS}),
    ),
    Prompt(
        "appreciation.124",
        N_("Thank your partner for a time they let you vent and simply stayed with you."),
        P.LISTENING,
        "002",
    ),
)
