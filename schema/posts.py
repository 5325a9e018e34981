from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import Annotated

import strawberry
from graphql.pyutils import AwaitableOrValue

from models import posts as models
from resolvers.access import require_visible_post, visible_comment, visible_post
from resolvers.digest import digest
from resolvers.ids import to_global_id
from resolvers.loaders.base import now_or_later, then
from resolvers.posts import curation, drafts
from resolvers.posts import posts as resolvers
from resolvers.posts.comments import do_accept_answer, do_add_comment, list_comments
from resolvers.posts.reactions import do_react
from resolvers.recognition.standings import Period
from schema.base import CercleInfo, Connection, Node, selected_below, to_connection
from schema.communities.community import Community
from schema.members import Member


@strawberry.type(description="How many reactions of one kind.")
class ReactionCount:
    kind: models.ReactionKind = strawberry.field(description="The reaction.")
    count: int = strawberry.field(description="How many members gave it.")


@strawberry.type(description="Reactions to a post or comment.")
class ReactionSummary:
    target: strawberry.Private[tuple[models.TargetType, int]]

    # Plain functions, not coroutines: a page loads its counts ahead (`load_ahead`), and each field then reads them.
    @strawberry.field(description="All reactions.", graphql_type=int)
    def total(self, info: CercleInfo) -> AwaitableOrValue[int]:
        return then(now_or_later(info.context.loaders.reaction_counts_by_target, self.target), _total)

    @strawberry.field(description="Count per kind, for kinds given at least once.", graphql_type=list[ReactionCount])
    def counts(self, info: CercleInfo) -> AwaitableOrValue[list[ReactionCount]]:
        return then(now_or_later(info.context.loaders.reaction_counts_by_target, self.target), _reaction_counts)

    @strawberry.field(description="Your own reactions.", graphql_type=list[models.ReactionKind])
    def viewer_reactions(self, info: CercleInfo) -> AwaitableOrValue[list[models.ReactionKind]]:
        return then(now_or_later(info.context.loaders.viewer_reactions_by_target, self.target), _reaction_kinds)


def _total(counts: dict[str, int]) -> int:
    return sum(counts.values())


def _reaction_counts(counts: dict[str, int]) -> list[ReactionCount]:
    return [ReactionCount(kind=models.ReactionKind(k), count=counts[k]) for k in models.ReactionKind if k in counts]


def _reaction_kinds(kinds: list[str]) -> list[models.ReactionKind]:
    return [models.ReactionKind(kind) for kind in kinds]


def _member(info: CercleInfo, member_id: int) -> AwaitableOrValue[Member]:
    return then(info.context.loaders.member_by_id.existing_now_or_later(member_id), Member.from_row)


@strawberry.type(description="A post in a community; `body` is markdown, `bodyHtml` its sanitised HTML.")
class Post(Node):
    row: strawberry.Private[models.Post]
    kind: models.PostKind = strawberry.field(description="What the post is for.")
    status: models.PostStatus = strawberry.field(description="DRAFT and SCHEDULED posts are seen by their author only.")
    title: str = strawberry.field(description="The title.")
    body: str = strawberry.field(description="Markdown source.")
    body_html: str = strawberry.field(description="The body rendered to safe HTML.")
    created_at: datetime = strawberry.field(description="When it was written.")
    published_at: datetime | None = strawberry.field(description="When it was published; null until then.")
    publish_at: datetime | None = strawberry.field(description="When a scheduled post will be published.")
    pinned_at: datetime | None = strawberry.field(description="When it was pinned to the top; null if not pinned.")

    @classmethod
    def from_row(cls, row: models.Post) -> Post:
        return cls(
            id=strawberry.ID(to_global_id("Post", row.id)),
            row=row,
            kind=row.kind,
            status=row.status,
            title=row.title,
            body=row.body,
            body_html=row.body_html,
            created_at=row.created_at,
            published_at=row.published_at,
            publish_at=row.publish_at,
            pinned_at=row.pinned_at,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Post | None:
        row = await visible_post(info.context, pk)
        return cls.from_row(row) if row else None

    @strawberry.field(description="The community it belongs to.")
    async def community(self, info: CercleInfo) -> Community:
        return Community.from_row(await info.context.loaders.community_by_id.load_existing(self.row.community_id))

    @strawberry.field(description="Who wrote it.", graphql_type=Member)
    def author(self, info: CercleInfo) -> AwaitableOrValue[Member]:
        return _member(info, self.row.author_id)

    @strawberry.field(description="Tags, lower-case.", graphql_type=list[str])
    def tags(self, info: CercleInfo) -> AwaitableOrValue[list[str]]:
        return now_or_later(info.context.loaders.tags_by_post_id, self.row.id)

    @strawberry.field(description="How many comments it has.", graphql_type=int)
    def comment_count(self, info: CercleInfo) -> AwaitableOrValue[int]:
        return now_or_later(info.context.loaders.comment_count_by_post_id, self.row.id)

    @strawberry.field(description="Comments, oldest first, replies included (see `parent`).")
    async def comments(
        self, info: CercleInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Comment]:
        page = await list_comments(self.row, first=first, after=after)
        info.context.loaders.comment_by_id.prime_rows(page.rows)
        return to_connection(page, Comment.from_row)

    @strawberry.field(description="Reactions to the post.")
    def reactions(self) -> ReactionSummary:
        return ReactionSummary(target=(models.TargetType.POST, self.row.id))

    @strawberry.field(
        description="The accepted answer of a question.",
        graphql_type=Annotated["Comment", strawberry.lazy("schema.posts")] | None,  # defined below
    )
    def accepted_answer(self, info: CercleInfo) -> AwaitableOrValue[Comment | None]:
        return then(now_or_later(info.context.loaders.accepted_answer_by_post_id, self.row.id), Comment.from_optional)


def load_ahead(info: CercleInfo, rows: Sequence[models.Post], *path: str) -> Awaitable[object]:
    """Load what the selection at `path` asks of these posts (a page's `"edges", "node"`) for all of them at once,
    so that each post's fields read it without awaiting. Failures stay with the fields that read them."""
    wanted = selected_below(info, *path)
    loaders = info.context.loaders
    ids = [row.id for row in rows]
    loads: list[Awaitable[object]] = []
    if "author" in wanted:
        loads.append(loaders.member_by_id.load_many({row.author_id for row in rows}))
    if "tags" in wanted:
        loads.append(loaders.tags_by_post_id.load_many(ids))
    if "commentCount" in wanted:
        loads.append(loaders.comment_count_by_post_id.load_many(ids))
    if "acceptedAnswer" in wanted:
        loads.append(loaders.accepted_answer_by_post_id.load_many(ids))
    if "reactions" in wanted:
        targets = [(models.TargetType.POST, id) for id in ids]
        reactions = selected_below(info, *path, "reactions")
        if reactions & {"total", "counts"}:
            loads.append(loaders.reaction_counts_by_target.load_many(targets))
        if "viewerReactions" in reactions:
            loads.append(loaders.viewer_reactions_by_target.load_many(targets))
    return asyncio.gather(*loads, return_exceptions=True)


@strawberry.type(description="A comment on a post, or a reply to another comment.")
class Comment(Node):
    row: strawberry.Private[models.Comment]
    body: str = strawberry.field(description="Markdown source.")
    body_html: str = strawberry.field(description="The body rendered to safe HTML.")
    accepted: bool = strawberry.field(description="True for the accepted answer of a question.")
    created_at: datetime = strawberry.field(description="When it was written.")

    @classmethod
    def from_row(cls, row: models.Comment) -> Comment:
        return cls(
            id=strawberry.ID(to_global_id("Comment", row.id)),
            row=row,
            body=row.body,
            body_html=row.body_html,
            accepted=row.accepted,
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Comment | None:
        row = await visible_comment(info.context, pk)
        return cls.from_row(row) if row else None

    @strawberry.field(description="The post it belongs to.")
    async def post(self, info: CercleInfo) -> Post:
        return Post.from_row(await info.context.loaders.post_by_id.load_existing(self.row.post_id))

    @classmethod
    def from_optional(cls, row: models.Comment | None) -> Comment | None:
        return cls.from_row(row) if row else None

    @strawberry.field(description="Who wrote it.", graphql_type=Member)
    def author(self, info: CercleInfo) -> AwaitableOrValue[Member]:
        return _member(info, self.row.author_id)

    @strawberry.field(description="The comment it replies to; null for top-level or deleted parents.")
    async def parent(self, info: CercleInfo) -> Comment | None:
        if self.row.parent_id is None:
            return None
        row = await visible_comment(info.context, self.row.parent_id)
        return Comment.from_row(row) if row else None

    @strawberry.field(description="Reactions to the comment.")
    def reactions(self) -> ReactionSummary:
        return ReactionSummary(target=(models.TargetType.COMMENT, self.row.id))


@strawberry.input(description="A new post. With a future `publishAt`, it is scheduled and hidden until then.")
class CreatePostInput:
    community_slug: str = strawberry.field(description="Where to post.")
    title: str = strawberry.field(description="1-200 characters.")
    body: str = strawberry.field(description="Markdown, at most 50000 characters.")
    kind: models.PostKind | None = strawberry.field(  # nullable, as in the contract
        default=models.PostKind.DISCUSSION, description="What the post is for; null: DISCUSSION."
    )
    tags: list[str] | None = strawberry.field(default=None, description="At most 10; normalised to lower-case.")
    publish_at: datetime | None = strawberry.field(default=None, description="Schedule for later (with time zone).")


@strawberry.input(description="A new comment; `parentId` makes it a reply.")
class AddCommentInput:
    post_id: strawberry.ID = strawberry.field(description="The post.")
    body: str = strawberry.field(description="Markdown, at most 20000 characters.")
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="The comment replied to.")


@strawberry.type
class PostQuery:
    @strawberry.field(description="A post by id; null with NOT_FOUND when absent or hidden from you.")
    async def post(self, info: CercleInfo, id: strawberry.ID) -> Post | None:
        return Post.from_row(await require_visible_post(info.context, id, "id"))

    @strawberry.field(
        description="The HTML a post body would be published as (bodyHtml), for a composer's preview: the same "
        "checks and rendering as createPost, nothing written. Logged-in callers only; rate limited like mutations, "
        "counted apart."
    )
    async def preview_markdown(self, info: CercleInfo, body: str) -> str:
        return await resolvers.do_preview_markdown(info.context, body)


@strawberry.input(description="What to change in an unpublished post; null leaves it as it is.")
class UpdatePostInput:
    post_id: strawberry.ID = strawberry.field(description="A draft or scheduled post.")
    title: str | None = strawberry.field(default=None, description="New title, up to 200 characters.")
    body: str | None = strawberry.field(default=None, description="New markdown body.")


@strawberry.type
class PostMutation:
    @strawberry.mutation(description="Write a post (members of the community).")
    async def create_post(self, info: CercleInfo, input: CreatePostInput) -> Post:
        post = resolvers.NewPost(**vars(input) | {"kind": input.kind or models.PostKind.DISCUSSION})
        return Post.from_row(await resolvers.do_create_post(info.context, post))

    @strawberry.mutation(description="Publish a draft or scheduled post now (its author or a moderator).")
    async def publish_post(self, info: CercleInfo, post_id: strawberry.ID) -> Post:
        return Post.from_row(await resolvers.do_publish_post(info.context, post_id))

    @strawberry.mutation(
        description="Edit a draft or scheduled post: its author, a moderator, or the member given it as a task."
    )
    async def update_post(self, info: CercleInfo, input: UpdatePostInput) -> Post:
        return Post.from_row(await drafts.do_update_post(info.context, input.post_id, input.title, input.body))

    @strawberry.mutation(
        description="Draft a DIGEST of the last day, 7 or 30 days (managers): top posts, open questions, "
        "newcomers, thanks and badges, coming events. Edit it, give it as a task, then publishPost."
    )
    async def generate_digest(self, info: CercleInfo, community_slug: str, period: Period) -> Post:
        return Post.from_row(await digest.do_generate_digest(info.context, community_slug, period.value))

    @strawberry.mutation(
        description=f"Pin a published post to the top of its community, or unpin it (LEADER members and moderators; "
        f"at most {curation.MAX_PINNED})."
    )
    async def pin_post(self, info: CercleInfo, post_id: strawberry.ID, pinned: bool = True) -> Post:
        return Post.from_row(await curation.do_pin(info.context, post_id, pinned))

    @strawberry.mutation(
        description="Replace a post's tags (its author, REGULAR members and above, moderators); "
        f"at most {resolvers.MAX_TAGS}."
    )
    async def set_post_tags(self, info: CercleInfo, post_id: strawberry.ID, tags: list[str]) -> Post:
        return Post.from_row(await curation.do_set_tags(info.context, post_id, tags))

    @strawberry.mutation(description="Comment on a post, or reply to a comment.")
    async def add_comment(self, info: CercleInfo, input: AddCommentInput) -> Comment:
        row = await do_add_comment(info.context, input.post_id, input.body, input.parent_id)
        return Comment.from_row(row)

    @strawberry.mutation(description="Mark a comment as the answer to your question.")
    async def accept_answer(self, info: CercleInfo, comment_id: strawberry.ID) -> Comment:
        return Comment.from_row(await do_accept_answer(info.context, comment_id))

    @strawberry.mutation(description="React to a post or comment; reacting twice changes nothing.")
    async def react(self, info: CercleInfo, target_id: strawberry.ID, reaction: models.ReactionKind) -> ReactionSummary:
        return ReactionSummary(target=await do_react(info.context, target_id, reaction, add=True))

    @strawberry.mutation(description="Take a reaction back; taking back an absent one changes nothing.")
    async def unreact(
        self, info: CercleInfo, target_id: strawberry.ID, reaction: models.ReactionKind
    ) -> ReactionSummary:
        return ReactionSummary(target=await do_react(info.context, target_id, reaction, add=False))

    @strawberry.mutation(description="Delete a post (its author or a moderator); returns its id.")
    async def delete_post(self, info: CercleInfo, post_id: strawberry.ID) -> strawberry.ID:
        return strawberry.ID(await resolvers.do_delete(info.context, post_id, "Post"))

    @strawberry.mutation(description="Delete a comment (its author or a moderator); returns its id.")
    async def delete_comment(self, info: CercleInfo, comment_id: strawberry.ID) -> strawberry.ID:
        return strawberry.ID(await resolvers.do_delete(info.context, comment_id, "Comment"))
