"""Date ideas: concrete, doable, for any budget, each tagged with a kind.

Keys are stable: never renumber, reuse or delete one (retire it with `retired=True`); add new
ideas at the end.
"""

from __future__ import annotations

from bot.prompt_bank import DateIdea, DateKind, LoveLanguage, Practice
from locales import N_

P = Practice
K = DateKind
L = LoveLanguage

DATE_BANK: tuple[DateIdea, ...] = (
    # At home.
    DateIdea(
        "date.001",
        N_("Put on one slow song and dance in the kitchen, looking at each other the whole time."),
        P.DATE_NIGHT,
        "004",
        kind=K.AT_HOME,
        serves=frozenset({L.TOUCH}),
    ),
    DateIdea(
        "date.002",
        N_(
            "Dig out old photos, or scroll back to your first months together on your phones, "
            "and tell each other the stories behind them."
        ),
        P.CONNECTED_TIMES,
        "004",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.003",
        N_("Cook a meal together from scratch, with music on and your phones in another room."),
        P.DATE_NIGHT,
        "004",
        kind=K.AT_HOME,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.004",
        N_(
            "Do the dishes or another chore side by side, slowly, with no screens around. "
            "Just the two of you and a chat."
        ),
        P.FULL_ATTENTION,
        "004",
        kind=K.AT_HOME,
        serves=frozenset({L.TIME, L.SERVICE}),
    ),
    DateIdea(
        "date.005",
        N_(
            "Comedy night in: each of you picks a favorite funny clip or episode to show the other."
        ),
        P.LAUGHTER,
        "001",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.006",
        N_(
            "Make a dream board together with magazine cutouts or printouts: what would you "
            "like the next few years to hold?"
        ),
        P.SHARED_DREAMS,
        "000",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.007",
        N_(
            "Take turns asking each other questions you've never asked before. "
            "Whoever answers picks the next one."
        ),
        P.RECIPROCAL_SHARING,
        "002",
        kind=K.AT_HOME,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.008",
        N_(
            "Each write down five small things that make you feel loved, then swap lists "
            "and talk them through."
        ),
        P.LOVE_LANGUAGES,
        "004",
        kind=K.AT_HOME,
        serves=frozenset({L.WORDS}),
    ),
    DateIdea(
        "date.009",
        N_(
            "Dress up for each other at home: nice clothes, candles, a simple dinner, "
            "as if you'd gone somewhere fancy."
        ),
        P.DATE_NIGHT,
        "001",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.010",
        N_(
            "Pamper each other for an evening: hand or foot rubs, a warm drink, a playlist you "
            "both like."
        ),
        P.KINDNESS,
        "001",
        kind=K.AT_HOME,
        serves=frozenset({L.SERVICE, L.TOUCH}),
    ),
    DateIdea(
        "date.011",
        N_("Rewatch the first movie you saw together, or a show you loved early on."),
        P.CONNECTED_TIMES,
        "004",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.012",
        N_(
            "Build a blanket fort, bring snacks, and swap the funniest stories from your "
            "childhoods."
        ),
        P.LAUGHTER,
        "001",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.013",
        N_(
            "Light a candle and each share something the other doesn't know about you yet, "
            "only as much as feels right."
        ),
        P.VULNERABILITY,
        "004",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.014",
        N_(
            "Play a board game or card game you both like, with a small silly prize for the winner."
        ),
        P.DATE_NIGHT,
        "004",
        kind=K.AT_HOME,
    ),
    # Out.
    DateIdea(
        "date.015",
        N_(
            "Go back to the place of one of your first dates and see what has changed, and what "
            "hasn't."
        ),
        P.CONNECTED_TIMES,
        "004",
        kind=K.OUT,
    ),
    DateIdea(
        "date.016",
        N_(
            "Dress up and go somewhere that makes you both feel a little special, "
            "even if it's just for one drink."
        ),
        P.DATE_NIGHT,
        "001",
        kind=K.OUT,
    ),
    DateIdea(
        "date.017",
        N_("Go out to eat and keep both phones on silent in a bag for the whole meal."),
        P.FULL_ATTENTION,
        "004",
        kind=K.OUT,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.018",
        N_(
            "Catch a comedy show, an improv night, or an open mic, and compare favorite bits after."
        ),
        P.LAUGHTER,
        "001",
        kind=K.OUT,
    ),
    DateIdea(
        "date.019",
        N_(
            "Go to a concert, a play, or a local gig, and tell each other your favorite moment "
            "on the way home."
        ),
        P.DATE_NIGHT,
        "004",
        kind=K.OUT,
    ),
    DateIdea(
        "date.020",
        N_("Visit a market or a bakery and each secretly pick a treat for the other."),
        P.KINDNESS,
        "001",
        kind=K.OUT,
        serves=frozenset({L.GIFTS}),
    ),
    DateIdea(
        "date.021",
        N_("Go bowling, play mini golf, or hit an arcade, and play like you're kids again."),
        P.LAUGHTER,
        "001",
        kind=K.OUT,
    ),
    DateIdea(
        "date.022",
        N_("Find a cozy café and ask each other one big question over a slow coffee."),
        P.RECIPROCAL_SHARING,
        "002",
        kind=K.OUT,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.023",
        N_(
            "At dinner out, sit across from each other rather than side by side, and really "
            "look at each other while you catch up."
        ),
        P.EYE_CONTACT,
        "004",
        kind=K.OUT,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.024",
        N_(
            "Wander through a museum or gallery and each pick the piece that reminds you of the "
            "other."
        ),
        P.POSITIVE_TRAITS,
        "001",
        kind=K.OUT,
    ),
    DateIdea(
        "date.025",
        N_("Go dancing, however badly: a beginners' night, a club, or a slow song in a bar."),
        P.DATE_NIGHT,
        "004",
        kind=K.OUT,
        serves=frozenset({L.TOUCH}),
    ),
    DateIdea(
        "date.026",
        N_("Have breakfast out on a weekday morning before work, just the two of you."),
        P.DATE_NIGHT,
        "004",
        kind=K.OUT,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.027",
        N_("Go to the movies, then swap one thing you loved and one you'd change over a drink."),
        P.RECIPROCAL_SHARING,
        "002",
        kind=K.OUT,
    ),
    DateIdea(
        "date.028",
        N_("Go for a swim, a sauna, or a spa afternoon, and let the week wash off together."),
        P.SELF_CARE,
        "004",
        kind=K.OUT,
        serves=frozenset({L.TOUCH}),
    ),
    # Something new.
    DateIdea(
        "date.029",
        N_("Cook a dish from a cuisine neither of you has made before, then rate it together."),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.030",
        N_(
            "Book a one-off class together: pottery, climbing, salsa, or anything new to both of "
            "you."
        ),
        P.NEW_EXPERIENCES,
        "004",
        kind=K.NEW,
    ),
    DateIdea(
        "date.031",
        N_(
            "Try a restaurant serving food neither of you has eaten before, and each order "
            "the dish you'd never usually choose."
        ),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.032",
        N_(
            "Go to a talk on a subject neither of you knows much about, then chat about it "
            "over a drink."
        ),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.033",
        N_(
            "Pick a new hobby to try together for a month, like sketching, birdwatching, "
            "or learning a few words of a language."
        ),
        P.NEW_EXPERIENCES,
        "004",
        kind=K.NEW,
    ),
    DateIdea(
        "date.034",
        N_(
            "Explore a neighborhood or nearby town you've never walked around, with no plan at all."
        ),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.035",
        N_("Try an escape room or a puzzle hunt and find out what kind of team you are."),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.036",
        N_("Each plan a one-hour surprise for the other around something they've never tried."),
        P.KINDNESS,
        "001",
        kind=K.NEW,
        serves=frozenset({L.GIFTS}),
    ),
    DateIdea(
        "date.037",
        N_(
            "Learn a short dance routine from a video in your living room, then perform it for "
            "nobody."
        ),
        P.LAUGHTER,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.038",
        N_(
            "Swap your rhythm for once: a sunrise walk if you're night owls, "
            "a midnight stroll if you're early birds."
        ),
        P.NEW_EXPERIENCES,
        "004",
        kind=K.NEW,
    ),
    DateIdea(
        "date.039",
        N_(
            "Go to an event you'd never normally pick, like a poetry reading, a chess night, "
            "or a local sports match."
        ),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.040",
        N_("Try a sport neither of you has played, like table tennis, frisbee, or paddleboarding."),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.041",
        N_("Bake something neither of you has ever baked, and don't worry if it flops."),
        P.LAUGHTER,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.042",
        N_(
            "Go to a tasting of something you know nothing about: tea, cheese, chocolate, or olive "
            "oil."
        ),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    # Free.
    DateIdea(
        "date.043",
        N_("Take a long walk somewhere green and leave your phones in your pockets the whole way."),
        P.FULL_ATTENTION,
        "004",
        kind=K.FREE,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.044",
        N_("Have a picnic in a park with whatever is in the fridge and an hour without plans."),
        P.DATE_NIGHT,
        "004",
        kind=K.FREE,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.045",
        N_("Watch the sunset together from the best spot nearby, without taking a single photo."),
        P.FULL_ATTENTION,
        "004",
        kind=K.FREE,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.046",
        N_("Volunteer together for an afternoon for a cause you both care about."),
        P.SHARED_DREAMS,
        "000",
        kind=K.FREE,
    ),
    DateIdea(
        "date.047",
        N_(
            "Visit a library, a public garden, or a free museum day, and each show the other a "
            "favorite spot."
        ),
        P.RECIPROCAL_SHARING,
        "002",
        kind=K.FREE,
    ),
    DateIdea(
        "date.048",
        N_(
            "Plan a dream trip on paper: where you'd go, what you'd eat, "
            "and what you'd do on the very first day."
        ),
        P.SHARED_DREAMS,
        "000",
        kind=K.FREE,
    ),
    DateIdea(
        "date.049",
        N_(
            "Sit face to face, set a timer for three minutes, and simply look into each other's "
            "eyes. "
            "Giggling is allowed. Talk about it afterwards."
        ),
        P.EYE_CONTACT,
        "004",
        kind=K.FREE,
        serves=frozenset({L.TOUCH}),
    ),
    DateIdea(
        "date.050",
        N_("Write each other a short love letter, then take turns reading them out loud."),
        P.LOVE_LANGUAGES,
        "004",
        kind=K.FREE,
        serves=frozenset({L.WORDS}),
    ),
    DateIdea(
        "date.051",
        N_(
            "Look through the photos on your phones from a year ago and talk about what was going "
            "on."
        ),
        P.CONNECTED_TIMES,
        "004",
        kind=K.FREE,
    ),
    DateIdea(
        "date.052",
        N_("Go stargazing somewhere dark, with a free star map app to put names to what you see."),
        P.NEW_EXPERIENCES,
        "004",
        kind=K.FREE,
    ),
    DateIdea(
        "date.053",
        N_("Have a phone-free evening: both phones in a drawer from dinner until bedtime."),
        P.FULL_ATTENTION,
        "004",
        kind=K.FREE,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.054",
        N_("Make a playlist of your story together: one song for every chapter so far."),
        P.CONNECTED_TIMES,
        "004",
        kind=K.FREE,
    ),
    DateIdea(
        "date.055",
        N_(
            "Give each other a ten-minute tour of something you love: a hobby, a game, "
            "a favorite video, a place."
        ),
        P.RECIPROCAL_SHARING,
        "002",
        kind=K.FREE,
    ),
    DateIdea(
        "date.056",
        N_(
            "Do a kind deed together: bake for a neighbor, write a thank-you note, "
            "or help someone out."
        ),
        P.KINDNESS,
        "001",
        kind=K.FREE,
        serves=frozenset({L.SERVICE}),
    ),
    DateIdea(
        "date.057",
        N_(
            "Walk or cycle to a place you always pass but have never stopped at, and stop this "
            "time."
        ),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.FREE,
    ),
    DateIdea(
        "date.058",
        N_("Sit together somewhere quiet, outside if you can, and share what you're thankful for."),
        P.APPRECIATION,
        "000",
        kind=K.FREE,
        serves=frozenset({L.WORDS}),
    ),
    # Rituals for two.
    DateIdea(
        "date.059",
        N_(
            "Over a cup of tea, each name one thing that went well between you this week "
            "and one small, clear wish for the next."
        ),
        P.CLEAR_REQUESTS,
        "000",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.060",
        N_(
            "Start a ten-minute evening check-in: same time, same spot, ask how each other's "
            "day went and if anything is needed."
        ),
        P.DAILY_CHECKIN,
        "004",
        kind=K.FREE,
    ),
    # Wonder, listening, trust, small agreements, and more to say yes to.
    DateIdea(
        "date.061",
        N_(
            "Take a slow walk at dusk and, for the first ten minutes, just listen to the sounds "
            "around you without talking."
        ),
        P.SPIRITUAL_CONNECTION,
        "004",
        kind=K.FREE,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.062",
        N_(
            "Find a high spot nearby, a hill or a rooftop, and watch the lights come on across the "
            "town."
        ),
        P.SPIRITUAL_CONNECTION,
        "004",
        kind=K.FREE,
    ),
    DateIdea(
        "date.063",
        N_(
            "Sit together for ten quiet minutes with a short guided meditation, or simply breathe "
            "side by side."
        ),
        P.SPIRITUAL_CONNECTION,
        "004",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.064",
        N_(
            "Visit a planetarium, an aquarium, or a botanical garden, and each find the thing that "
            "amazes you most."
        ),
        P.SPIRITUAL_CONNECTION,
        "004",
        kind=K.OUT,
    ),
    DateIdea(
        "date.065",
        N_(
            "Listening night: one of you talks for ten minutes about anything while the other only "
            "listens, no advice. Then swap."
        ),
        P.LISTENING,
        "002",
        kind=K.AT_HOME,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.066",
        N_(
            "Write the week's small worries on slips of paper, read them out if you like, then "
            "fold them into paper boats or toss them."
        ),
        P.LETTING_GO,
        "004",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.067",
        N_(
            "Go for a trust walk in a park: one of you closes their eyes while the other guides by "
            "voice, then swap."
        ),
        P.TRUST,
        "000",
        kind=K.FREE,
        serves=frozenset({L.TOUCH}),
    ),
    DateIdea(
        "date.068",
        N_(
            "Make one small agreement for the coming week, like a phone-free dinner, and stick it "
            "on the fridge."
        ),
        P.AGREEMENTS,
        "000",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.069",
        N_(
            "Over dessert, look back at a wish one of you shared a while ago and chat about how "
            "it's going."
        ),
        P.FOLLOWING_UP,
        "000",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.070",
        N_(
            "Build a calm corner at home together: a lamp, a blanket, and a playlist for heavy "
            "days."
        ),
        P.SELF_SOOTHING,
        "002",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.071",
        N_(
            "Follow a beginners' stretching video together and finish lying on the floor, doing "
            "nothing at all."
        ),
        P.SELF_CARE,
        "004",
        kind=K.AT_HOME,
        serves=frozenset({L.TOUCH}),
    ),
    DateIdea(
        "date.072",
        N_("Find a free outdoor concert or a street musician and stay for at least three songs."),
        P.DATE_NIGHT,
        "004",
        kind=K.FREE,
    ),
    DateIdea(
        "date.073",
        N_(
            "Have a karaoke night, out or in the living room, where each of you picks the other's "
            "song."
        ),
        P.LAUGHTER,
        "001",
        kind=K.OUT,
    ),
    DateIdea(
        "date.074",
        N_("Go to a flea market with a tiny budget and hunt for a little gift for each other."),
        P.KINDNESS,
        "001",
        kind=K.OUT,
        serves=frozenset({L.GIFTS}),
    ),
    DateIdea(
        "date.075",
        N_("Take a day trip to a town you've never visited and let the day unfold without a plan."),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.076",
        N_("Join a quiz night or a board-game cafe as a team of two."),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.OUT,
    ),
    DateIdea(
        "date.077",
        N_("Go on a photo walk and each capture five things you think the other would love."),
        P.FULL_ATTENTION,
        "004",
        kind=K.FREE,
        serves=frozenset({L.GIFTS}),
    ),
    DateIdea(
        "date.078",
        N_("Cook each other's favorite childhood dish, and tell the story that goes with it."),
        P.RECIPROCAL_SHARING,
        "002",
        kind=K.AT_HOME,
        serves=frozenset({L.SERVICE}),
    ),
    DateIdea(
        "date.079",
        N_("Make breakfast together on a lazy morning and carry it back to bed."),
        P.DATE_NIGHT,
        "004",
        kind=K.AT_HOME,
        serves=frozenset({L.SERVICE}),
    ),
    DateIdea(
        "date.080",
        N_(
            "Read aloud to each other: a short story, a few poems, or a chapter of a book you both "
            "like."
        ),
        P.FULL_ATTENTION,
        "004",
        kind=K.AT_HOME,
    ),
    DateIdea(
        "date.081",
        N_(
            "Sit by a lake, a river, or the sea for a while and watch the water without talking "
            "much."
        ),
        P.SPIRITUAL_CONNECTION,
        "004",
        kind=K.FREE,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.082",
        N_(
            "Visit a place of quiet beauty, like an old church, a temple garden, or a forest, and "
            "share what you feel there."
        ),
        P.SPIRITUAL_CONNECTION,
        "004",
        kind=K.FREE,
    ),
    DateIdea(
        "date.083",
        N_("Rent bikes or a rowing boat for an hour and explore at an easy pace."),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.OUT,
    ),
    DateIdea(
        "date.084",
        N_(
            "Wander through a craft fair or an open studio and chat with the people who made "
            "things."
        ),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.085",
        N_("Cook a three-course dinner where every course comes from a different country."),
        P.NEW_EXPERIENCES,
        "001",
        kind=K.NEW,
    ),
    DateIdea(
        "date.086",
        N_(
            "Write a short list together of things to do before the year ends, and pick one for "
            "this month."
        ),
        P.SHARED_DREAMS,
        "000",
        kind=K.FREE,
    ),
    DateIdea(
        "date.087",
        N_(
            "Each tell the other a dream you had as a kid, and whether any part of it still calls "
            "to you."
        ),
        P.SHARED_DREAMS,
        "000",
        kind=K.FREE,
    ),
    DateIdea(
        "date.088",
        N_(
            "Find a bench with a view, bring a flask of something warm, and swap the best bits of "
            "your week."
        ),
        P.DAILY_CHECKIN,
        "004",
        kind=K.FREE,
        serves=frozenset({L.TIME}),
    ),
    DateIdea(
        "date.089",
        N_(
            "Try a folk dance evening or a beginners' swing night, where everyone is learning and "
            "nobody minds."
        ),
        P.LAUGHTER,
        "001",
        kind=K.NEW,
        serves=frozenset({L.TOUCH}),
    ),
    DateIdea(
        "date.090",
        N_(
            "Make a time capsule: each write a letter to the two of you a year from now, seal it, "
            "and pick a day to open it."
        ),
        P.SHARED_DREAMS,
        "000",
        kind=K.AT_HOME,
        serves=frozenset({L.WORDS}),
    ),
)
