import { useEffect, useState } from "preact/hooks";

import { request } from "../../api/client";
import { type LiveEvent, useActivity } from "../../api/live";
import { PostMeta, Reactions } from "../../components/PostMeta";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { PostCommentFragment, PostPageQuery } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { mergeById, oldestFirst } from "../../merge";
import { Link } from "../../router";

graphql(`
  fragment PostComment on Comment {
    id
    bodyHtml
    accepted
    createdAt
    parent {
      id
    }
    author {
      username
      displayName
    }
    reactions {
      counts {
        kind
        count
      }
    }
  }
`);

const POST_PAGE = graphql(`
  query PostPage($id: ID!) {
    post(id: $id) {
      id
      title
      kind
      createdAt
      publishedAt
      tags
      bodyHtml
      commentCount
      community {
        slug
        name
      }
      author {
        username
        displayName
      }
      reactions {
        counts {
          kind
          count
        }
      }
      comments(first: 100) {
        edges {
          node {
            ...PostComment
          }
        }
      }
    }
  }
`);

const POST_ACTIVITY = graphql(`
  query PostActivity($id: ID!) {
    post(id: $id) {
      community {
        activityCursor
      }
    }
  }
`);

const LIVE_COMMENT = graphql(`
  query LiveComment($id: ID!) {
    node(id: $id) {
      __typename
      ... on Comment {
        post {
          id
        }
        ...PostComment
      }
    }
  }
`);

/** Replies under the comment they answer, each thread in the order it was written. */
function repliesByParent(comments: readonly PostCommentFragment[]): Map<string | null, PostCommentFragment[]> {
  const known = new Set(comments.map(({ id }) => id));
  const replies = new Map<string | null, PostCommentFragment[]>();
  for (const comment of comments) {
    const parentId = comment.parent && known.has(comment.parent.id) ? comment.parent.id : null;
    replies.set(parentId, [...(replies.get(parentId) ?? []), comment]);
  }
  return replies;
}

type Thread = { comment: PostCommentFragment; replies: Map<string | null, PostCommentFragment[]> };

function CommentThread({ comment, replies }: Thread) {
  const { t, date } = useI18n();
  const answers = replies.get(comment.id) ?? [];
  return (
    <li class={comment.accepted ? "comment accepted" : "comment"}>
      <p class="post-meta">
        <Link href={`/members/${comment.author.username}`}>{comment.author.displayName}</Link> ·{" "}
        <time dateTime={comment.createdAt}>{date(comment.createdAt)}</time>
        {comment.accepted && <strong class="badge"> {t("post.accepted")}</strong>}
      </p>
      {/* Markdown rendered and sanitised by Cercle: the same HTML every client shows. */}
      <div class="prose" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
      <Reactions counts={comment.reactions.counts} />
      {answers.length > 0 && (
        <ol class="comments">
          {answers.map((reply) => (
            <CommentThread key={reply.id} comment={reply} replies={replies} />
          ))}
        </ol>
      )}
    </li>
  );
}

/** The comment an activity event wrote, if it is on this post and still stands. */
async function commentOn(postId: string, { subjectId }: LiveEvent): Promise<PostCommentFragment | null> {
  if (!subjectId) return null;
  const { node } = await request(LIVE_COMMENT, { id: subjectId });
  return node?.__typename === "Comment" && node.post.id === postId ? node : null;
}

/**
 * The post's comments, growing live from its community's activity. Where that activity stands is
 * read first, on its own, and the post after it: the comments read then miss nothing of what the
 * activity replays from that cursor (the two reads of one request are in no set order).
 */
function useLiveComments(id: string) {
  const [read, setRead] = useState<{ id: string; data: PostPageQuery; cursor: string | null }>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    let shown = true;
    setError(undefined);
    const readInOrder = async () => {
      const { post } = await request(POST_ACTIVITY, { id });
      const data = await request(POST_PAGE, { id });
      if (shown) setRead({ id, data, cursor: post?.community.activityCursor ?? null });
    };
    readInOrder().catch((caught: Error) => shown && setError(caught));
    return () => {
      shown = false;
    };
  }, [id]);
  const current = read?.id === id ? read : undefined;
  const [arrived, setArrived] = useState<PostCommentFragment[]>([]);
  const slug = current?.data.post?.community.slug ?? null;
  useActivity(slug, current?.cursor ?? null, ["COMMENTED"], async (event) => {
    const comment = await commentOn(id, event);
    if (comment) setArrived((known) => mergeById(known, [comment], oldestFirst));
  });
  const comments = current?.data.post?.comments.edges.map(({ node }) => node) ?? [];
  const all = mergeById(arrived, comments, oldestFirst);
  return { data: current?.data, loading: !current, error, comments: all, unread: all.length - comments.length };
}

export function PostPage({ id }: { id: string }) {
  const { t, plural } = useI18n();
  const { data, loading, error, comments, unread } = useLiveComments(id);
  const post = data?.post;
  if (data && !post) return <p role="alert">{t("post.notFound")}</p>;
  const replies = repliesByParent(comments);
  return (
    <Status loading={loading && !data} error={error}>
      {post && (
        <article>
          <p>
            <Link href={`/c/${post.community.slug}`}>{t("post.inCommunity", { name: post.community.name })}</Link>
          </p>
          <h1>{post.title}</h1>
          <PostMeta post={post} />
          <div class="prose" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
          <section aria-labelledby="comments">
            <h2 id="comments" aria-live="polite">
              {plural("post.comments", post.commentCount + unread)}
            </h2>
            {comments.length === 0 && <p>{t("post.noComments")}</p>}
            <ol class="comments">
              {(replies.get(null) ?? []).map((comment) => (
                <CommentThread key={comment.id} comment={comment} replies={replies} />
              ))}
            </ol>
          </section>
        </article>
      )}
    </Status>
  );
}
