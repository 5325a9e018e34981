/** The post and its comments as they grow live, with what the viewer's own actions changed in them. */
import { useCallback, useEffect, useState } from "preact/hooks";

import { request } from "../../api/client";
import { type LiveEvent, useActivity } from "../../api/live";
import { graphql } from "../../gql";
import type { PostCommentFragment, PostPageQuery } from "../../gql/graphql";
import { mergeById, oldestFirst } from "../../merge";

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
      formerMember
    }
    reactions {
      counts {
        kind
        count
      }
      viewerReactions
    }
  }
`);

const POST_PAGE = graphql(`
  query PostPage($id: ID!) {
    post(id: $id) {
      id
      title
      kind
      status
      body
      createdAt
      publishedAt
      tags
      bodyHtml
      commentCount
      community {
        slug
        name
        viewerMembership {
          role
          status
          level
        }
      }
      author {
        username
        displayName
        formerMember
      }
      reactions {
        counts {
          kind
          count
        }
        viewerReactions
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
export function repliesByParent(comments: readonly PostCommentFragment[]): Map<string | null, PostCommentFragment[]> {
  const known = new Set(comments.map(({ id }) => id));
  const replies = new Map<string | null, PostCommentFragment[]>();
  for (const comment of comments) {
    const parentId = comment.parent && known.has(comment.parent.id) ? comment.parent.id : null;
    replies.set(parentId, [...(replies.get(parentId) ?? []), comment]);
  }
  return replies;
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
export function useLiveComments(id: string) {
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
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set());
  const [acceptedId, setAcceptedId] = useState<string>();
  const slug = current?.data.post?.community.slug ?? null;
  // The viewer's own comment comes back from addComment and again from the activity: merged by id, it shows once.
  const add = useCallback((comment: PostCommentFragment) => {
    setArrived((known) => mergeById(known, [comment], oldestFirst));
  }, []);
  useActivity(slug, current?.cursor ?? null, ["COMMENTED"], async (event) => {
    const comment = await commentOn(id, event);
    if (comment) add(comment);
  });
  const accept = (comment: PostCommentFragment) => {
    setAcceptedId(comment.id);
    add(comment);
  };
  const remove = (commentId: string) => setDeleted((known) => new Set([...known, commentId]));
  const initial = current?.data.post?.comments.edges.map(({ node }) => node) ?? [];
  // A question has one accepted answer: accepting another takes the mark off the former.
  const comments = mergeById(initial, arrived, oldestFirst)
    .filter((comment) => !deleted.has(comment.id))
    .map((comment) => (acceptedId ? { ...comment, accepted: comment.id === acceptedId } : comment));
  return {
    data: current?.data,
    loading: !current,
    error,
    comments,
    count: (current?.data.post?.commentCount ?? 0) + comments.length - initial.length,
    add,
    accept,
    remove,
  };
}
