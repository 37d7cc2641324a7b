"""The day's question of the daily check-in.

Both partners answer in a sentence or two (free text, up to 500 characters); the answers are
revealed to each other once both have answered. So every question invites sharing, can be
answered briefly, and still works on a hard day. Questions with practice NAMING_NEEDS look at
what someone needs; the weekly recap picks one of those after a week of low moods.

Each question has a depth (`Depth`): LIGHT asks about the day and small things, MEDIUM about
needs, wishes and what someone feels about the two of them, DEEP about fears, what is hard to
say and what someone keeps to themselves. A couple gets questions up to its depth ceiling
(`bot.services.depth`), and never a deep one on the day after a low mood.

Keys are stable: never renumber, reuse or delete one (retire it with `retired=True`); add new
questions at the end.
"""

from __future__ import annotations

from bot.prompt_bank import CheckinQuestion, Depth, Practice
from locales import N_

P = Practice
D = Depth

CHECKIN_BANK: tuple[CheckinQuestion, ...] = (
    # Daily check-in: ask about the day (004).
    CheckinQuestion(
        "checkin.001",
        N_("How was your day, in a sentence or two? The real version, not the polite one."),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.002",
        N_("What's on your mind tonight?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.003",
        N_("What took up most of your energy today?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.004",
        N_("Which moment of today would you happily replay, and which one would you skip?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.005",
        N_("How are you arriving this evening: tired, wired, calm, or somewhere in between?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.006",
        N_("What's one small thing that happened today that nobody has heard about yet?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.007",
        N_("If today came with a weather report, what would it say?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.008",
        N_("What surprised you today, even a little?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.009",
        N_("What's one thing you're looking forward to tomorrow, however small?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.010",
        N_("What's one thing from today you'd like to put down before you go to sleep?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.011",
        N_("If today was a hard one, what got you through it? If it wasn't, what made it easy?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.MEDIUM,
    ),
    # Naming emotional needs (000). The weekly recap picks these after low moods.
    CheckinQuestion(
        "checkin.012",
        N_("What would help you feel supported this week?"),
        P.NAMING_NEEDS,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.013",
        N_(
            "Is there one small thing you could use right now? A hug, some quiet, "
            "a cup of tea, a hand with something?"
        ),
        P.NAMING_NEEDS,
        "000",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.014",
        N_(
            "What would mean the most to you this week: being heard, getting some help, "
            "or a bit of time to yourself?"
        ),
        P.NAMING_NEEDS,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.015",
        N_("What's one thing that would make tomorrow a little lighter for you?"),
        P.NAMING_NEEDS,
        "000",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.016",
        N_(
            "After a rough day, what helps you most: talking it through, a distraction, "
            "or just some company?"
        ),
        P.NAMING_NEEDS,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.017",
        N_("Is there something you've been needing lately that you haven't said out loud yet?"),
        P.NAMING_NEEDS,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.018",
        N_("What would make you feel a bit more looked after in the days ahead?"),
        P.NAMING_NEEDS,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.019",
        N_("Where could you use an extra pair of hands this week?"),
        P.NAMING_NEEDS,
        "000",
        depth=D.LIGHT,
    ),
    # Clear, concrete requests (000).
    CheckinQuestion(
        "checkin.020",
        N_(
            "If you could ask your partner for one specific thing this week, what would it be? "
            "Small and concrete is perfect."
        ),
        P.CLEAR_REQUESTS,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.021",
        N_("What's one simple wish you have for how the two of you spend this weekend?"),
        P.CLEAR_REQUESTS,
        "000",
        depth=D.LIGHT,
    ),
    # Reciprocal sharing and curiosity (002).
    CheckinQuestion(
        "checkin.022",
        N_("What's something you've been thinking about lately but haven't shared yet?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.023",
        N_("What's a topic you could happily talk about for hours right now?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.024",
        N_("What's something you wish your partner asked you about more often?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.MEDIUM,
        retired=True,  # reads as what the partner fails to do
    ),
    CheckinQuestion(
        "checkin.025",
        N_("What did you learn today, about anything at all?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.026",
        N_("Which song, show, or book has been keeping you company lately?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.027",
        N_("What's a question you'd love to hear your partner answer?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.028",
        N_("What's a small opinion of yours that might surprise your partner?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.029",
        N_("What are you excited about at the moment, big or small?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    # Remembering connected times: the relational inventory (004).
    CheckinQuestion(
        "checkin.030",
        N_("What's a moment with your partner that your mind keeps wandering back to?"),
        P.CONNECTED_TIMES,
        "004",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.031",
        N_("When did you last feel really close to each other? What was going on?"),
        P.CONNECTED_TIMES,
        "004",
        depth=D.DEEP,
        retired=True,  # side by side, two different answers sting
    ),
    CheckinQuestion(
        "checkin.032",
        N_("Which trip or day out together would you happily live through again?"),
        P.CONNECTED_TIMES,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.033",
        N_("What's an ordinary everyday moment together that you secretly love?"),
        P.CONNECTED_TIMES,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.034",
        N_("What do you remember about the first long conversation the two of you had?"),
        P.CONNECTED_TIMES,
        "004",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.035",
        N_("Which photo of the two of you makes you smile the most, and why?"),
        P.CONNECTED_TIMES,
        "004",
        depth=D.LIGHT,
        invites_photo=True,
    ),
    # Shared dreams and joint projects (000).
    CheckinQuestion(
        "checkin.036",
        N_("If the two of you took on one project together just for fun, what would it be?"),
        P.SHARED_DREAMS,
        "000",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.037",
        N_("What's a place you'd love to see together someday?"),
        P.SHARED_DREAMS,
        "000",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.038",
        N_("What's a cause you both care about that you could do something small for?"),
        P.SHARED_DREAMS,
        "000",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.039",
        N_("Picture a slow, happy Sunday a few years from now. What's in it?"),
        P.SHARED_DREAMS,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.040",
        N_("What's a dream you've carried for years and rarely mention?"),
        P.SHARED_DREAMS,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.041",
        N_("What's something you'd like to learn or try together this year?"),
        P.SHARED_DREAMS,
        "000",
        depth=D.LIGHT,
    ),
    # Vulnerability and honest talk about fears (000, 003, 004).
    CheckinQuestion(
        "checkin.042",
        N_("Is anything weighing on you at the moment, even a little?"),
        P.VULNERABILITY,
        "004",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.043",
        N_("What's a worry you've been carrying around this week?"),
        P.VULNERABILITY,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.044",
        N_(
            "Is there something you've found hard to say lately? Sharing just a part of it is fine."
        ),
        P.VULNERABILITY,
        "003",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.045",
        N_("When did you last feel unsure of yourself, and what helped?"),
        P.VULNERABILITY,
        "004",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.046",
        N_("What's something you're proud of but hardly ever talk about?"),
        P.VULNERABILITY,
        "003",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.047",
        N_("What's a fear about the future you'd like to share, even if it feels small or silly?"),
        P.VULNERABILITY,
        "000",
        depth=D.DEEP,
    ),
    # Love languages (004).
    CheckinQuestion(
        "checkin.048",
        N_(
            "What's a small thing your partner does that makes you feel loved, "
            "maybe without knowing it?"
        ),
        P.LOVE_LANGUAGES,
        "004",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.049",
        N_(
            "What makes you feel most cared for: kind words, time together, a helping hand, "
            "a little gift, or a hug?"
        ),
        P.LOVE_LANGUAGES,
        "004",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.050",
        N_("What's one way you show love that you hope gets noticed?"),
        P.LOVE_LANGUAGES,
        "004",
        depth=D.MEDIUM,
        retired=True,  # invites keeping score of unnoticed love
    ),
    CheckinQuestion(
        "checkin.051",
        N_("What's a little gesture that would make your day this week?"),
        P.LOVE_LANGUAGES,
        "004",
        depth=D.LIGHT,
    ),
    # Self-reflection: intimacy starts with yourself (002, 003, 004).
    CheckinQuestion(
        "checkin.052",
        N_("How did you treat yourself today: more like a harsh critic or a good friend?"),
        P.SELF_REFLECTION,
        "003",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.053",
        N_("What's one thing you did today that you're quietly glad about?"),
        P.SELF_REFLECTION,
        "003",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.054",
        N_("What do you understand about yourself now that you didn't a year ago?"),
        P.SELF_REFLECTION,
        "002",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.055",
        N_("When things get tense, what calms you down again?"),
        P.SELF_REFLECTION,
        "002",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.056",
        N_("What's a recent decision of yours that you feel good about?"),
        P.SELF_REFLECTION,
        "003",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.057",
        N_("What's one word for how you feel right now? Add a few more if you like."),
        P.SELF_REFLECTION,
        "003",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.058",
        N_("Is there a feeling you've been keeping to yourself lately? What is it?"),
        P.SELF_REFLECTION,
        "003",
        depth=D.DEEP,
    ),
    # Self-care: a full cup to share from (004).
    CheckinQuestion(
        "checkin.059",
        N_("What's one small thing you did for yourself today, or would like to do tomorrow?"),
        P.SELF_CARE,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.060",
        N_("What recharges you when your battery is running low?"),
        P.SELF_CARE,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.061",
        N_("Is there something you'd like to say no to this week, to make some room for yourself?"),
        P.SELF_CARE,
        "004",
        depth=D.MEDIUM,
    ),
    # Laughing together (001).
    CheckinQuestion(
        "checkin.062",
        N_("What made you laugh or smile today, even for a second?"),
        P.LAUGHTER,
        "001",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.063",
        N_("What's the silliest thought that crossed your mind today?"),
        P.LAUGHTER,
        "001",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.064",
        N_("Which joke only the two of you understand still gets you every time?"),
        P.LAUGHTER,
        "001",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.065",
        N_("What's the funniest thing that has ever happened to the two of you?"),
        P.LAUGHTER,
        "001",
        depth=D.LIGHT,
    ),
    # Full attention, being available and present (000, 001, 004).
    CheckinQuestion(
        "checkin.066",
        N_("When did someone last really listen to you? How did it feel?"),
        P.FULL_ATTENTION,
        "000",
        depth=D.DEEP,
        retired=True,  # invites comparing the partner with others
    ),
    CheckinQuestion(
        "checkin.067",
        N_("Is there something you'd love your partner's undivided attention for this week?"),
        P.FULL_ATTENTION,
        "001",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.068",
        N_("When were you fully in the moment today, not thinking about anything else?"),
        P.FULL_ATTENTION,
        "004",
        depth=D.LIGHT,
    ),
    # Kindness (001).
    CheckinQuestion(
        "checkin.069",
        N_("What's a kind thing someone did for you lately, big or small?"),
        P.KINDNESS,
        "001",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.070",
        N_("What small surprise would brighten your week?"),
        P.KINDNESS,
        "001",
        depth=D.LIGHT,
    ),
    # New experiences (001).
    CheckinQuestion(
        "checkin.071",
        N_("What's a food, a place, or an activity neither of you has tried that sounds fun?"),
        P.NEW_EXPERIENCES,
        "001",
        depth=D.LIGHT,
    ),
    # Gratitude (000).
    CheckinQuestion(
        "checkin.072",
        N_("What's one thing you're grateful for today, however ordinary?"),
        P.APPRECIATION,
        "000",
        depth=D.LIGHT,
    ),
    # Light: the day, calm, wonder, small agreements.
    CheckinQuestion(
        "checkin.073",
        N_("What's a sound, a smell, or a taste from today that stayed with you?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.074",
        N_("What were the best five minutes of your day?"),
        P.DAILY_CHECKIN,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.075",
        N_("Tonight, would you rather get ideas or just a friendly ear? Both are fine answers."),
        P.LISTENING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.076",
        N_("What helped you feel calm today, even for a moment?"),
        P.SELF_SOOTHING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.077",
        N_("What's a small thing in nature you noticed today: the sky, a tree, a bird, the rain?"),
        P.SPIRITUAL_CONNECTION,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.078",
        N_("What's the most beautiful thing you saw this week?"),
        P.SPIRITUAL_CONNECTION,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.079",
        N_("What's a little promise to yourself that you kept this week?"),
        P.SELF_REFLECTION,
        "003",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.080",
        N_("What's one small plan for this week that the two of you could agree on?"),
        P.AGREEMENTS,
        "000",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.081",
        N_("Which everyday routine at home works nicely for the two of you?"),
        P.AGREEMENTS,
        "000",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.082",
        N_("Did anything make you curious today? Tell the story."),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.083",
        N_("If the two of you had a free hour together this week, how would you like to spend it?"),
        P.DATE_NIGHT,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.084",
        N_("What did you do today just for the fun of it?"),
        P.LAUGHTER,
        "001",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.085",
        N_("Which small kindness did you notice today, from anyone to anyone?"),
        P.KINDNESS,
        "001",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.086",
        N_("What helped you unwind when you got home today?"),
        P.SELF_CARE,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.087",
        N_("What's the best thing you heard or read today?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.088",
        N_("Which snack or game from your childhood would you still enjoy today?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.089",
        N_("What's something at home you're quietly thankful for right now?"),
        P.APPRECIATION,
        "000",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.090",
        N_("If you had a free hour tomorrow, all to yourself, what would you do with it?"),
        P.SELF_CARE,
        "004",
        depth=D.LIGHT,
    ),
    CheckinQuestion(
        "checkin.091",
        N_("What's a small win from today that deserves a little celebration?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.LIGHT,
    ),
    # Medium: soothing, listening, trust, repair, letting go.
    CheckinQuestion(
        "checkin.092",
        N_(
            "When you're upset, what helps you settle before you talk about it: a walk, some "
            "quiet, a few deep breaths?"
        ),
        P.SELF_SOOTHING,
        "002",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.093",
        N_(
            "When you share a problem, what do you usually hope for: a solution, a hug, or someone "
            "who simply listens?"
        ),
        P.LISTENING,
        "002",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.094",
        N_("Is there a need of yours that has been better met lately? What made the difference?"),
        P.FOLLOWING_UP,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.095",
        N_("What helps you trust someone a little more each day?"),
        P.TRUST,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.096",
        N_("What's a small promise between the two of you that you'd like to keep going?"),
        P.AGREEMENTS,
        "000",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.097",
        N_("What does a good apology look and sound like to you?"),
        P.REPAIR,
        "001",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.098",
        N_("After a disagreement, what helps you find your way back to each other?"),
        P.REPAIR,
        "001",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.099",
        N_("What's something small from this week that you're happy to let go of?"),
        P.LETTING_GO,
        "004",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.100",
        N_(
            "Where do you find a sense of wonder these days: music, nature, faith, or something "
            "else?"
        ),
        P.SPIRITUAL_CONNECTION,
        "004",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.101",
        N_("What gives your life meaning outside of work and chores?"),
        P.SPIRITUAL_CONNECTION,
        "004",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.102",
        N_("How would you like to look after yourself a bit better this month?"),
        P.SELF_CARE,
        "004",
        depth=D.MEDIUM,
    ),
    CheckinQuestion(
        "checkin.103",
        N_("What would you like to understand better about how your partner sees the world?"),
        P.RECIPROCAL_SHARING,
        "002",
        depth=D.MEDIUM,
    ),
    # Deep: the two fears, trust, repair, forgiveness, meaning.
    CheckinQuestion(
        "checkin.104",
        N_(
            "Many people fear losing themselves in a relationship, or losing the other person. "
            "Does either fear ever visit you? Share only what feels safe."
        ),
        P.TWO_FEARS,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.105",
        N_(
            "What's one part of who you are that you'd always want to keep, whatever changes "
            "between you?"
        ),
        P.TWO_FEARS,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.106",
        N_("What helps you feel sure that the two of you will stay close, even in busy times?"),
        P.TWO_FEARS,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.107",
        N_("When have you felt you could fully rely on someone? What made that possible?"),
        P.TRUST,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.108",
        N_("What makes it easier for you to open up to someone?"),
        P.TRUST,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.109",
        N_("What do you need to feel safe enough to disagree out loud?"),
        P.TRUST,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.110",
        N_("Is there an apology you've been meaning to make, to anyone at all?"),
        P.REPAIR,
        "001",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.111",
        N_("Is there a mistake of your own you'd like to make right? What could be a first step?"),
        P.REPAIR,
        "001",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.112",
        N_(
            "Is there an old hurt, from any time in your life, that you'd like to be free of one "
            "day?"
        ),
        P.LETTING_GO,
        "004",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.113",
        N_("What does forgiving someone feel like for you, and what makes it possible?"),
        P.LETTING_GO,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.114",
        N_("When did you last feel small in a good way, in front of something vast or beautiful?"),
        P.SPIRITUAL_CONNECTION,
        "004",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.115",
        N_("What do you believe in that carries you through hard times?"),
        P.SPIRITUAL_CONNECTION,
        "004",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.116",
        N_("When you're overwhelmed, how do you notice it, and what brings you back to yourself?"),
        P.SELF_SOOTHING,
        "002",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.117",
        N_("Which feeling is hardest for you to name when it shows up?"),
        P.SELF_REFLECTION,
        "001",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.118",
        N_("When you open up about something hard, what do you hope happens next?"),
        P.LISTENING,
        "002",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.119",
        N_("Is there something you'd like to be asked about, gently, when the time is right?"),
        P.VULNERABILITY,
        "004",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.120",
        N_("What's a promise you made to yourself long ago that still matters to you?"),
        P.SELF_REFLECTION,
        "003",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.121",
        N_("When you've let someone down, how do you like to set things right?"),
        P.AGREEMENTS,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.122",
        N_("Which part of you do you hope the people closest to you really see?"),
        P.VULNERABILITY,
        "003",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.123",
        N_("What's something from your childhood that still shapes the way you love?"),
        P.SELF_REFLECTION,
        "004",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.124",
        N_("Which of your needs is hardest to ask for? What makes it hard?"),
        P.NAMING_NEEDS,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.125",
        N_(
            "Is there a need you named a while ago that still matters? How could you two look at "
            "it together?"
        ),
        P.FOLLOWING_UP,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.126",
        N_("What's a hope for the two of you that feels a little fragile to say out loud?"),
        P.SHARED_DREAMS,
        "000",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.127",
        N_("When do you feel most accepted just as you are?"),
        P.VULNERABILITY,
        "003",
        depth=D.DEEP,
    ),
    CheckinQuestion(
        "checkin.128",
        N_("What's a part of your story that few people have heard?"),
        P.VULNERABILITY,
        "004",
        depth=D.DEEP,
    ),
)
