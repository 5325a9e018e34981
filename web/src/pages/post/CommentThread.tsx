import { useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { MemberName } from "../../components/MemberName";
import { Reactions } from "../../components/PostMeta";
import { graphql } from "../../gql";
import type { PostCommentFragment } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { CommentForm } from "./CommentForm";
import { ReactionButtons } from "./ReactionButtons";

const ACCEPT_ANSWER = graphql(`
  mutation AcceptAnswer($commentId: ID!) {
    acceptAnswer(commentId: $commentId) {
      ...PostComment
    }
  }
`);

const DELETE_COMMENT = graphql(`
  mutation DeleteComment($commentId: ID!) {
    deleteComment(commentId: $commentId)
  }
`);

/** What the viewer may do on the post's comments, and how the page hears of it. */
export type CommentPowers = {
  postId: string;
  viewer: string | null; // username; null when signed out
  canAccept: boolean; // the viewer asked this question
  canModerate: boolean;
  onAdded: (comment: PostCommentFragment) => void;
  onAccepted: (comment: PostCommentFragment) => void;
  onDeleted: (id: string) => void;
};

type Thread = {
  comment: PostCommentFragment;
  replies: Map<string | null, PostCommentFragment[]>;
  powers: CommentPowers;
};

export function CommentThread({ comment, replies, powers }: Thread) {
  const { t, date } = useI18n();
  const [replying, setReplying] = useState(false);
  const [problem, setProblem] = useState<string>();
  const answers = replies.get(comment.id) ?? [];
  const mine = powers.viewer === comment.author.username;
  const topLevel = !comment.parent;

  const act = async (action: () => Promise<void>) => {
    try {
      await action();
      setProblem(undefined);
    } catch (caught) {
      setProblem(caught instanceof RequestError ? caught.message : String(caught));
    }
  };
  const accept = () =>
    act(async () => powers.onAccepted((await request(ACCEPT_ANSWER, { commentId: comment.id })).acceptAnswer));
  const remove = () =>
    act(async () => powers.onDeleted((await request(DELETE_COMMENT, { commentId: comment.id })).deleteComment));

  return (
    <li class={comment.accepted ? "comment accepted" : "comment"}>
      <p class="post-meta">
        <MemberName member={comment.author} /> ·{" "}
        <time dateTime={comment.createdAt}>{date(comment.createdAt)}</time>
        {comment.accepted && <strong class="badge"> {t("post.accepted")}</strong>}
      </p>
      {/* Markdown rendered and sanitised by Cercle: the same HTML every client shows. */}
      <div class="prose" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
      {powers.viewer ? (
        <ReactionButtons targetId={comment.id} reactions={comment.reactions} />
      ) : (
        <Reactions counts={comment.reactions.counts} />
      )}
      {powers.viewer && (
        <div class="post-actions">
          <button type="button" class="secondary" aria-expanded={replying} onClick={() => setReplying(!replying)}>
            {t("post.reply")}
          </button>
          {powers.canAccept && topLevel && !comment.accepted && !mine && (
            <button type="button" class="secondary" onClick={accept}>
              {t("post.accept")}
            </button>
          )}
          {(mine || powers.canModerate) && (
            <button type="button" class="secondary" onClick={remove}>
              {t("post.delete")}
            </button>
          )}
        </div>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {replying && (
        <CommentForm
          postId={powers.postId}
          parent={{ id: comment.id, authorName: comment.author.formerMember ? t("member.former") : comment.author.displayName }}
          onAdded={(reply) => {
            setReplying(false);
            powers.onAdded(reply);
          }}
          onCancel={() => setReplying(false)}
        />
      )}
      {answers.length > 0 && (
        <ol class="comments">
          {answers.map((reply) => (
            <CommentThread key={reply.id} comment={reply} replies={replies} powers={powers} />
          ))}
        </ol>
      )}
    </li>
  );
}
