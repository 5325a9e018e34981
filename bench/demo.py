"""The demo community that `python manage.py demo` (and `make run`) loads into an empty database.

Everything is made through the resolvers, as members would make it, so
memberships, roles, activity rows and rendered markdown are all real. The
caller (manage.py) initialises Tortoise and checks that the database is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.communities import Community, JoinPolicy, Role, Visibility
from models.members import Member
from models.posts import Comment, Post, PostKind, ReactionKind
from resolvers import communities, members, posts
from resolvers.context import Context
from resolvers.ids import to_global_id

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


MEMBERS = [
    DemoMember(
        "ada",
        "Ada Okafor",
        "Backend developer and the host of Demo Commons. Ask me about Python and async.",
        ["python", "moderation", "events"],
        "Ten years of Python; runs the monthly meetup.",
    ),
    DemoMember(
        "bruno",
        "Bruno Lefèvre",
        "Community manager by day, board-game organiser by night.",
        ["events", "moderation", "writing"],
        "Ran a 3,000-member forum for six years.",
    ),
    DemoMember(
        "chloe",
        "Chloé Martin",
        "Product designer who cares about accessible interfaces.",
        ["design", "accessibility", "moderation"],
        "Design systems at two start-ups.",
    ),
    DemoMember(
        "dmitri",
        "Dmitri Volkov",
        "Data engineer, amateur photographer.",
        ["python", "sql", "data"],
        "Builds data pipelines; teaches SQL on weekends.",
    ),
    DemoMember(
        "esme",
        "Esme Hart",
        "Writer and editor; keeps the weekly digest readable.",
        ["writing", "editing", "events"],
        "Edited a technical newsletter for four years.",
    ),
    DemoMember(
        "farid",
        "Farid Haddad",
        "Front-end developer learning backend things.",
        ["javascript", "design", "python"],
        "Two years of React, new to Python.",
    ),
    DemoMember(
        "gwen",
        "Gwen Ito",
        "Student, curious about everything, especially typography.",
        ["design", "writing"],
        "Final-year design student.",
    ),
    DemoMember(
        "hiro",
        "Hiro Tanaka",
        "Ops person: if it pages at 3 am, I have probably seen it.",
        ["devops", "postgres", "python"],
        "Site reliability for a payments company.",
    ),
]


@dataclass
class DemoComment:
    author: str
    body: str
    replies: list[DemoComment] = field(default_factory=list)
    accepted: bool = False
    reactions: list[tuple[str, ReactionKind]] = field(default_factory=list)


@dataclass
class DemoPost:
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
                reactions=[("dmitri", INSIGHTFUL), ("ada", INSIGHTFUL)],
            ),
            C("ada", "Add `id` as a tie-breaker if you paginate with cursors."),
        ],
        [("hiro", LIKE)],
    ),
    DemoPost(
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
        "farid",
        PostKind.QUESTION,
        "How do you review CSS in pull requests?",
        "Code review for CSS feels like guesswork. Do you ask for screenshots, or use visual diffs?",
        ["design", "code-review"],
        [C("chloe", "Screenshots before and after, plus a link to a preview deployment.")],
        [("gwen", LIKE)],
    ),
    DemoPost(
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
        "esme",
        PostKind.DISCUSSION,
        "Volunteers for the weekly digest?",
        "I draft the weekly digest every Friday. I would love a co-editor: it takes about **30 minutes**.",
        ["writing", "digest"],
        [C("gwen", "I can help on alternate weeks.", [C("esme", "Wonderful, I will send you the draft.")])],
        [("gwen", CELEBRATE), ("ada", THANKS)],
    ),
    DemoPost(
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
        "hiro",
        PostKind.QUESTION,
        "Connection pool size for a small PostgreSQL?",
        "A 2-core PostgreSQL behind three app processes: how many connections per pool would you use?",
        ["postgres", "performance"],
        [C("dmitri", "Start small: about 10 per process, and measure before you raise it.")],
        [("ada", LIKE)],
    ),
    # The private, invitation-only community: its content is for its members only.
    DemoPost(
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


def _gid(row: Post | Comment) -> str:
    return to_global_id(type(row).__name__, row.pk)


class _Demo:
    def __init__(self) -> None:
        self.ctx: dict[str, Context] = {}
        self.comments = 0
        self.reactions = 0
        self.accepted = 0

    async def register(self, number: int, person: DemoMember) -> Member:
        # Each demo member registers from its own address: the per-IP login limit stays untouched.
        _, member = await members.do_register(
            Context(viewer_id=None, ip=f"demo-{number}"),
            members.Registration(
                username=person.username,
                email=f"{person.username}@demo.cercle.invalid",
                password=DEMO_PASSWORD,
                display_name=person.display_name,
                bio=person.bio,
                skills=person.skills,
                experience=person.experience,
            ),
        )
        self.ctx[person.username] = Context(viewer_id=member.id, ip=f"demo-{number}")
        return member

    async def react(self, target: Post | Comment, reactions: list[tuple[str, ReactionKind]]) -> None:
        for username, kind in reactions:
            await posts.do_react(self.ctx[username], _gid(target), kind, add=True)
            self.reactions += 1

    async def comment(self, post: Post, asker: str, spec: DemoComment, parent: Comment | None = None) -> None:
        row = await posts.do_add_comment(self.ctx[spec.author], _gid(post), spec.body, _gid(parent) if parent else None)
        self.comments += 1
        await self.react(row, spec.reactions)
        if spec.accepted:  # accepted by the question's author
            await posts.do_accept_answer(self.ctx[asker], _gid(row))
            self.accepted += 1
        for reply in spec.replies:
            await self.comment(post, asker, reply, row)

    async def post(self, spec: DemoPost) -> Post:
        row = await posts.do_create_post(
            self.ctx[spec.author],
            posts.NewPost(
                community_slug=spec.community, title=spec.title, body=spec.body, kind=spec.kind, tags=spec.tags
            ),
        )
        await self.react(row, spec.reactions)
        for comment in spec.comments:
            await self.comment(row, spec.author, comment)
        return row


async def load_demo() -> str:
    """Create the demo members and communities; return a one-line summary for the console."""
    demo = _Demo()
    for number, person in enumerate(MEMBERS, start=1):
        await demo.register(number, person)

    public = await communities.do_create_community(
        demo.ctx["ada"],
        name="Demo Commons",
        slug=DEMO_SLUG,
        description="A lively demo community: developers, designers and writers helping each other.",
        visibility=Visibility.PUBLIC,
        join_policy=JoinPolicy.OPEN,
    )
    for person in MEMBERS[1:]:
        await communities.do_join_community(demo.ctx[person.username], public.slug, None)
    await communities.do_set_role(demo.ctx["ada"], public.slug, "bruno", Role.MANAGER)
    await communities.do_set_role(demo.ctx["ada"], public.slug, "chloe", Role.MODERATOR)

    private: Community = await communities.do_create_community(
        demo.ctx["esme"],
        name="Writers' Room",
        slug=PRIVATE_SLUG,
        description="Drafts and honest feedback, for invited writers only.",
        visibility=Visibility.PRIVATE,
        join_policy=JoinPolicy.INVITE,
    )
    invitation = await communities.do_create_invitation(
        demo.ctx["esme"], private.slug, max_uses=10, expires_in_hours=24 * 30
    )
    for username in ("chloe", "gwen"):
        await communities.do_join_community(demo.ctx[username], private.slug, invitation.code)

    for spec in POSTS:
        await demo.post(spec)
    public_posts = sum(1 for spec in POSTS if spec.community == DEMO_SLUG)
    others = ", ".join(m.username for m in MEMBERS[1:])
    return (
        f"Demo Commons ({DEMO_SLUG}, public, open): {len(MEMBERS)} members, {public_posts} posts. "
        f"Writers' Room ({PRIVATE_SLUG}, private, invite-only, code {invitation.code}): esme, chloe, gwen, "
        f"{len(POSTS) - public_posts} posts. {demo.comments} comments ({demo.accepted} accepted answer), "
        f"{demo.reactions} reactions. Log in as ada / {DEMO_PASSWORD} (same password for {others})."
    )
