"""Who is in the demo, what they wrote, and when: six weeks of two communities.

Demo Commons (public, open) starts on the Monday five weeks before the current
one: its owner and a co-founder first, then members joining over the weeks,
two newcomers in the last few days. Hand-written posts sit on weekdays at
working hours; the recurring threads (the Monday check-in, Friday wins,
weekend reading) and short "today I learned" posts are generated around them
in bench/demo/__init__.py. Times are `At(week, weekday, hour)` (weeks before
the current one) or `Ago(days, hour)` (days before today).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.demo.timeline import Ago, At
from models.posts import PostKind, ReactionKind

DEMO_PASSWORD = "cercle-demo-password"
DEMO_SLUG = "demo-commons"
PRIVATE_SLUG = "writers-room"

LIKE, INSIGHTFUL, THANKS, CELEBRATE = (
    ReactionKind.LIKE,
    ReactionKind.INSIGHTFUL,
    ReactionKind.THANKS,
    ReactionKind.CELEBRATE,
)


@dataclass
class DemoMember:
    username: str
    display_name: str
    bio: str
    skills: list[str]
    experience: str
    joins: At | Ago  # registers and joins Demo Commons then


MEMBERS = [
    DemoMember(
        "ada",
        "Ada Okafor",
        "Backend developer and the host of Demo Commons. Ask me about Python and async.",
        ["python", "moderation", "events"],
        "Ten years of Python; runs the monthly meetup.",
        At(5, 0, 9),
    ),
    DemoMember(
        "bruno",
        "Bruno Lefèvre",
        "Community manager by day, board-game organiser by night.",
        ["events", "moderation", "writing"],
        "Ran a 3,000-member forum for six years.",
        At(5, 0, 11),
    ),
    DemoMember(
        "chloe",
        "Chloé Martin",
        "Product designer who cares about accessible interfaces.",
        ["design", "accessibility", "moderation"],
        "Design systems at two start-ups.",
        At(5, 1, 10),
    ),
    DemoMember(
        "dmitri",
        "Dmitri Volkov",
        "Data engineer, amateur photographer.",
        ["python", "sql", "data"],
        "Builds data pipelines; teaches SQL on weekends.",
        At(5, 3, 19),
    ),
    DemoMember(
        "esme",
        "Esme Hart",
        "Writer and editor; keeps the weekly digest readable.",
        ["writing", "editing", "events"],
        "Edited a technical newsletter for four years.",
        At(4, 1, 8),
    ),
    DemoMember(
        "farid",
        "Farid Haddad",
        "Front-end developer learning backend things.",
        ["javascript", "design", "python"],
        "Two years of React, new to Python.",
        At(4, 3, 20),
    ),
    DemoMember(
        "gwen",
        "Gwen Ito",
        "Student, curious about everything, especially typography.",
        ["design", "writing"],
        "Final-year design student.",
        At(3, 2, 16),
    ),
    DemoMember(
        "hiro",
        "Hiro Tanaka",
        "Ops person: if it pages at 3 am, I have probably seen it.",
        ["devops", "postgres", "python"],
        "Site reliability for a payments company.",
        At(2, 1, 7),
    ),
    DemoMember(
        "ines",
        "Inès Moreau",
        "Junior developer who just moved to Lyon; learning in public.",
        ["javascript", "testing"],
        "Six months into a first developer job.",
        Ago(5, 14),
    ),
    DemoMember(
        "kwame",
        "Kwame Mensah",
        "Illustrator curious about generative art and a bit of code.",
        ["illustration", "design"],
        "Freelance illustrator for ten years.",
        Ago(1, 9),
    ),
]


# The Writers' Room: esme founds it, chloe and gwen join with her invitation.
WRITERS = {"esme": At(4, 2, 9), "chloe": At(4, 2, 12), "gwen": At(3, 2, 18)}


@dataclass(eq=False)  # by identity: the loader keeps the row made from each
class DemoComment:
    author: str
    body: str
    replies: list[DemoComment] = field(default_factory=list)
    accepted: bool = False
    reactions: list[tuple[str, ReactionKind]] = field(default_factory=list)


@dataclass(eq=False)
class DemoPost:
    at: At | Ago
    author: str
    kind: PostKind
    title: str
    body: str
    tags: list[str]
    comments: list[DemoComment] = field(default_factory=list)
    reactions: list[tuple[str, ReactionKind]] = field(default_factory=list)
    community: str = DEMO_SLUG


C = DemoComment

POSTS = [
    DemoPost(
        At(5, 0, 10),
        "ada",
        PostKind.ANNOUNCEMENT,
        "Welcome to Demo Commons",
        "Hello and welcome! This is a place to **ask**, **share** and **help**.\n\n"
        "- Introduce yourself in the comments\n- Ask questions with the *question* kind\n"
        "- Thank people with reactions and kudos\n\nBe kind, be curious.",
        ["welcome", "meta"],
        [
            C("bruno", "Glad to be here. I will help with events and moderation.", [C("ada", "Thank you, Bruno!")]),
            C("gwen", "Hi all, Gwen here: design student, happy to learn."),
            C("farid", "Hello! Mostly front-end, trying to get better at Python."),
        ],
        [("bruno", CELEBRATE), ("chloe", LIKE), ("dmitri", LIKE), ("esme", CELEBRATE), ("gwen", THANKS)],
    ),
    DemoPost(
        At(2, 2, 13),
        "farid",
        PostKind.QUESTION,
        "How do I run async code from a synchronous script?",
        "I have a small script and want to call an `async def` function from it.\n\n"
        "```python\nasync def fetch():\n    ...\n```\n\nWhat is the right way?",
        ["python", "asyncio"],
        [
            C(
                "ada",
                "Use `asyncio.run(fetch())` at the top level of the script: it creates the loop, "
                "runs the coroutine and closes the loop.",
                [C("farid", "That worked, thank you!"), C("hiro", "And never call it from inside a running loop.")],
                accepted=True,
                reactions=[("farid", THANKS), ("dmitri", INSIGHTFUL)],
            ),
            C("dmitri", "If you are in a notebook, the loop is already running: just `await fetch()`."),
        ],
        [("ada", LIKE), ("hiro", LIKE)],
    ),
    DemoPost(
        At(3, 3, 11),
        "chloe",
        PostKind.DISCUSSION,
        "Accessible colour palettes: what do you use?",
        "I am collecting tools for checking **contrast ratios**. My current list:\n\n"
        "1. The WCAG contrast checker\n2. Browser dev tools\n3. Stark\n\nWhat am I missing?",
        ["design", "accessibility"],
        [
            C("gwen", "I like building palettes in OKLCH: lightness steps stay even.", [C("chloe", "Good one!")]),
            C("farid", "Dev tools also emulate colour blindness now."),
        ],
        [("gwen", INSIGHTFUL), ("farid", LIKE), ("esme", LIKE)],
    ),
    DemoPost(
        At(2, 1, 11),
        "bruno",
        PostKind.ANNOUNCEMENT,
        "Monthly meetup: lightning talks",
        "Our next meetup is all **lightning talks**: five minutes, any topic.\n\n"
        "Reply here with your talk title. First-timers very welcome!",
        ["events", "meetup"],
        [
            C("dmitri", "Talk: *SQL window functions in five minutes*."),
            C("gwen", "Talk: *Why your font is lying to you*.", [C("bruno", "Love it, you are on the list.")]),
            C("hiro", "I can do *What a good on-call week looks like*."),
        ],
        [("ada", CELEBRATE), ("dmitri", CELEBRATE), ("gwen", CELEBRATE), ("hiro", LIKE)],
    ),
    DemoPost(
        At(2, 3, 9),
        "dmitri",
        PostKind.QUESTION,
        "Index for a feed ordered by date?",
        "My feed query is `WHERE community_id = $1 ORDER BY published_at DESC LIMIT 20` "
        "and it is slow on a big table. Which index helps?",
        ["postgres", "sql", "performance"],
        [
            C(
                "hiro",
                "A composite index on `(community_id, published_at DESC)` lets PostgreSQL read the "
                "first 20 rows straight from the index.",
                accepted=True,
                reactions=[("dmitri", INSIGHTFUL), ("ada", INSIGHTFUL)],
            ),
            C("ada", "Add `id` as a tie-breaker if you paginate with cursors."),
        ],
        [("hiro", LIKE)],
    ),
    DemoPost(
        At(4, 2, 10),
        "esme",
        PostKind.DISCUSSION,
        "Writing good release notes",
        "Release notes are read by people in a hurry. My rules:\n\n"
        "- Lead with what changes **for the reader**\n- One line per change\n- Link to details\n\n"
        "> Write for the person upgrading at 5 pm on a Friday.",
        ["writing"],
        [C("bruno", "The Friday rule is gold."), C("chloe", "Screenshots for UI changes, please!")],
        [("bruno", INSIGHTFUL), ("chloe", LIKE), ("ada", THANKS)],
    ),
    DemoPost(
        At(3, 4, 15),
        "gwen",
        PostKind.QUESTION,
        "Serif or sans-serif for long articles on screen?",
        "For a blog with long articles, is a serif font still a bad idea on screens?",
        ["design", "typography"],
        [
            C("chloe", "On today's screens either works; line length (60-75 characters) matters more."),
            C("esme", "Readers notice line height and contrast long before the font family."),
        ],
        [("chloe", LIKE)],
    ),
    DemoPost(
        At(1, 1, 10),
        "hiro",
        PostKind.DISCUSSION,
        "Postmortems without blame",
        "We started writing **blameless postmortems**: timeline, impact, what helped, what we change. "
        "It made people *report* incidents instead of hiding them.",
        ["devops", "culture"],
        [C("ada", "Same experience here. The 'what helped' section is underrated.")],
        [("ada", INSIGHTFUL), ("bruno", INSIGHTFUL), ("dmitri", LIKE)],
    ),
    DemoPost(
        At(4, 4, 16),
        "ada",
        PostKind.DISCUSSION,
        "Type hints: how strict are you?",
        "Do you run `mypy --strict` on your projects, or only on the core modules?",
        ["python", "typing"],
        [
            C("dmitri", "Strict on libraries, relaxed on scripts."),
            C("farid", "Coming from TypeScript, strict feels natural to me.", [C("ada", "That makes sense.")]),
        ],
        [("dmitri", LIKE), ("farid", LIKE)],
    ),
    DemoPost(
        At(1, 2, 18),
        "bruno",
        PostKind.DISCUSSION,
        "Ideas for our next community event",
        "We have a room for a Saturday afternoon. Hack day, workshop, or a board-game social?",
        ["events"],
        [
            C("gwen", "A design critique workshop!"),
            C("hiro", "Hack day, with small teams.", [C("farid", "+1 for a hack day.")]),
        ],
        [("esme", LIKE), ("gwen", LIKE)],
    ),
    DemoPost(
        At(1, 3, 12),
        "farid",
        PostKind.QUESTION,
        "How do you review CSS in pull requests?",
        "Code review for CSS feels like guesswork. Do you ask for screenshots, or use visual diffs?",
        ["design", "code-review"],
        [C("chloe", "Screenshots before and after, plus a link to a preview deployment.")],
        [("gwen", LIKE)],
    ),
    DemoPost(
        At(2, 4, 9),
        "chloe",
        PostKind.ANNOUNCEMENT,
        "Moderation guidelines updated",
        "We clarified two points in the guidelines:\n\n1. Self-promotion is fine once a month, in its own post\n"
        "2. Questions should say what you already tried\n\nThanks for keeping this place friendly.",
        ["meta", "moderation"],
        [C("esme", "Clear and short, thank you.")],
        [("esme", THANKS), ("bruno", THANKS), ("hiro", LIKE)],
    ),
    DemoPost(
        At(3, 4, 10),
        "esme",
        PostKind.DISCUSSION,
        "Volunteers for the weekly digest?",
        "I draft the weekly digest every Friday. I would love a co-editor: it takes about **30 minutes**.",
        ["writing", "digest"],
        [C("gwen", "I can help on alternate weeks.", [C("esme", "Wonderful, I will send you the draft.")])],
        [("gwen", CELEBRATE), ("ada", THANKS)],
    ),
    DemoPost(
        At(1, 4, 11),
        "dmitri",
        PostKind.DISCUSSION,
        "Window functions cheat sheet",
        "| function | use |\n|---|---|\n| `row_number()` | rank rows |\n| `lag()` | previous row |\n"
        "| `sum() over` | running totals |",
        ["sql", "cheat-sheet"],
        [C("hiro", "Bookmarked.")],
        [("hiro", INSIGHTFUL), ("ada", INSIGHTFUL), ("farid", THANKS)],
    ),
    DemoPost(
        Ago(2, 10),
        "hiro",
        PostKind.QUESTION,
        "Connection pool size for a small PostgreSQL?",
        "A 2-core PostgreSQL behind three app processes: how many connections per pool would you use?",
        ["postgres", "performance"],
        [C("dmitri", "Start small: about 10 per process, and measure before you raise it.", accepted=True)],
        [("ada", LIKE)],
    ),
    # The private, invitation-only community: its content is for its members only.
    DemoPost(
        At(4, 2, 10),
        "esme",
        PostKind.ANNOUNCEMENT,
        "Welcome to the Writers' Room",
        "A quiet corner for drafts. Share a draft, get kind and **specific** feedback.",
        ["welcome"],
        [C("chloe", "Happy to be here.")],
        [("gwen", CELEBRATE)],
        community=PRIVATE_SLUG,
    ),
    DemoPost(
        At(2, 0, 21),
        "gwen",
        PostKind.DISCUSSION,
        "Draft: a short essay on margins",
        "Margins are the silence of a page. *(Draft, feedback welcome.)*",
        ["drafts"],
        [C("esme", "Lovely opening line. Could the second paragraph be shorter?")],
        [("esme", LIKE), ("chloe", INSIGHTFUL)],
        community=PRIVATE_SLUG,
    ),
]
POSTS.append(
    DemoPost(
        Ago(3, 11),
        "ines",
        PostKind.QUESTION,
        "Where do you keep your notes while learning?",
        "I am learning a lot at once (tests, SQL, deployment) and my notes are everywhere. "
        "Paper, a wiki, plain text files: **what works for you**?",
        ["learning", "tools"],
        [
            C("esme", "Plain markdown files in one folder, one file per topic, searched with grep."),
            C("gwen", "A paper notebook for ideas, a wiki for things I look up twice.", [C("ines", "Both, noted!")]),
        ],
        [("esme", LIKE), ("bruno", THANKS), ("kwame", LIKE)],
    )
)

# The recurring threads: each week's Monday check-in (bruno) and Friday wins (ada), and a weekend
# reading list (esme) on some Saturdays. Replies are drawn from these lines, members who had joined.
CHECK_IN = (
    "Weekly check-in: what are you working on?",
    "New week, new plans. Share what you are working on, and where you are stuck: someone here may know.",
    ["check-in"],
)
FRIDAY_WINS = (
    "Friday wins",
    "What went well this week? Big or small, **every win counts**.",
    ["wins"],
)
WEEKEND_READING = (
    "Weekend reading",
    "A few long reads for the weekend:\n\n- an essay on *plain language*\n- a history of the semicolon\n"
    "- a field guide to code review\n\nWhat are you reading?",
    ["reading"],
)
CHECK_IN_REPLIES = [
    "Migrating our jobs to PostgreSQL 16; stuck on a collation warning.",
    "Preparing a lightning talk, and fighting with my slides.",
    "Auditing our sign-up form for keyboard users.",
    "Writing the docs for our internal API.",
    "Learning window functions, finally.",
    "On call this week. Wish me a quiet pager.",
    "Sketching a new type scale for the blog.",
    "Refactoring a 900-line view into something readable.",
    "Editing two guest posts for the newsletter.",
    "Setting up tests for a legacy project: where to start?",
]
WINS = [
    "Shipped dark mode!",
    "Our p99 latency halved after adding one index.",
    "Finished the first draft of my essay.",
    "My first pull request to an open-source project got merged.",
    "The on-call week was quiet. Quiet is a win.",
    "Ran my first workshop; people stayed until the end.",
    "Deleted 2,000 lines of dead code.",
    "Passed the accessibility audit with two small fixes.",
]
READING_REPLIES = [
    "Reading *The Elements of Typographic Style*, slowly.",
    "A book on incident reviews: recommended.",
    "Mostly comics this weekend, and no regrets.",
]
# Short posts for the days nothing else was published: the last two weeks keep the daily goal.
TODAY_I_LEARNED = [
    ("dmitri", "TIL: `EXPLAIN (ANALYZE, BUFFERS)` shows cache hits", ["postgres", "til"]),
    ("farid", "TIL: `:focus-visible` shows focus rings only for keyboard users", ["css", "til"]),
    ("hiro", "TIL: `systemd-analyze blame` explains a slow boot", ["devops", "til"]),
    ("esme", "TIL: 'comprise' means 'consist of', not 'make up'", ["writing", "til"]),
    ("ada", "TIL: `asyncio.timeout()` replaces most `wait_for` calls", ["python", "til"]),
    ("chloe", "TIL: `prefers-reduced-motion` is supported everywhere now", ["accessibility", "til"]),
    ("gwen", "TIL: old-style figures sit better in running text", ["typography", "til"]),
    ("bruno", "TIL: a 25-minute meeting ends on time more often than a 30-minute one", ["events", "til"]),
    ("dmitri", "TIL: `COPY` is about ten times faster than row-by-row inserts", ["sql", "til"]),
    ("farid", "TIL: `structuredClone()` deep-copies objects natively", ["javascript", "til"]),
    ("hiro", "TIL: `journalctl --since '1 hour ago'` reads like English", ["devops", "til"]),
    ("ines", "TIL: pytest's `-k` selects tests by a part of their name", ["testing", "til"]),
    ("ada", "TIL: `python -X importtime` shows what makes start-up slow", ["python", "til"]),
    ("gwen", "TIL: a 4.5:1 contrast ratio is the WCAG AA floor for body text", ["accessibility", "til"]),
]
TIL_BODY = "Found this today and thought someone here might like it. Do you have a favourite trick like it?"

# Kudos: (giver, receiver, message, when).
KUDOS = [
    ("chloe", "gwen", "Your OKLCH tip made our palette work.", At(3, 4, 9)),
    ("farid", "ada", "Thanks for explaining asyncio.run so clearly.", At(1, 3, 19)),
    ("dmitri", "hiro", "That index took my feed from 2 s to 20 ms.", At(1, 4, 17)),
    ("bruno", "esme", "For editing the digest, week after week.", At(1, 0, 12)),
    ("esme", "gwen", "Thanks for co-editing the digest.", At(1, 0, 13)),
    ("ada", "hiro", "Your postmortem write-up is now our template.", At(1, 1, 15)),
    ("hiro", "dmitri", "For the window functions cheat sheet.", At(1, 4, 15)),
    ("ada", "ines", "Welcome, and thanks for a great first question.", Ago(2, 17)),
]

# The events: last week's meetup (held, with check-ins) and the hack day coming up.
MEETUP = {
    "title": "Lightning talks",
    "description": "Five-minute talks on anything. Snacks provided.",
    "place": "Le Loft, 12 rue des Arts, Paris",
    "announced": At(2, 1, 11),
    "starts": At(1, 3, 18),
    "going": ["ada", "dmitri", "gwen", "hiro", "chloe", "farid"],
    "maybe": ["esme"],
    "checked_in": ["bruno", "ada", "dmitri", "gwen", "hiro", "chloe"],  # farid could not make it
}
HACK_DAY = {
    "title": "Saturday hack day",
    "description": "Small teams, one afternoon, demos at five. Bring a laptop and an idea.",
    "place": "Le Loft, 12 rue des Arts, Paris",
    "announced": Ago(2, 10),
    "going": ["hiro", "farid", "gwen", "kwame"],
    "maybe": ["dmitri"],
}
