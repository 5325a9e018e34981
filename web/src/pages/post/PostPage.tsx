import { useState } from "preact/hooks";

import { PostMeta } from "../../components/PostMeta";
import { Status } from "../../components/Status";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { useSession } from "../../session";
import { type DraftChanges, DraftEditor } from "./DraftEditor";
import { CommentForm } from "./CommentForm";
import { type CommentPowers, CommentThread } from "./CommentThread";
import { repliesByParent, useLiveComments } from "./liveComments";
import { DeletePost, KudosForm } from "./PostActions";
import { ReactionButtons } from "./ReactionButtons";

const MODERATING_ROLES = new Set(["OWNER", "MANAGER", "MODERATOR"]);

export function PostPage({ id }: { id: string }) {
  const { t, plural } = useI18n();
  const { viewer } = useSession();
  const { data, loading, error, comments, count, add, accept, remove } = useLiveComments(id);
  const [changes, setChanges] = useState<DraftChanges>();
  const post = data?.post && { ...data.post, ...changes };
  if (data && !post) return <p role="alert">{t("post.notFound")}</p>;
  const replies = repliesByParent(comments);
  const membership = post?.community.viewerMembership;
  const active = membership?.status === "ACTIVE";
  const canModerate = active && MODERATING_ROLES.has(membership.role);
  // Kudos are given from level MEMBER on (or by moderators): newcomers are not offered a form they cannot use.
  const canThank = active && (membership.level !== "NEWCOMER" || canModerate);
  const mine = !!viewer && viewer.username === post?.author.username;
  const powers: CommentPowers = {
    postId: id,
    viewer: viewer?.username ?? null,
    canAccept: mine && post?.kind === "QUESTION",
    canModerate,
    onAdded: add,
    onAccepted: accept,
    onDeleted: remove,
  };
  return (
    <Status loading={loading && !data} error={error}>
      {post && (
        <article>
          <p>
            <Link href={`/c/${post.community.slug}`}>{t("post.inCommunity", { name: post.community.name })}</Link>
          </p>
          <h1>{post.title}</h1>
          <PostMeta post={post} reactions={!viewer} />
          <div class="prose" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
          {viewer && <ReactionButtons targetId={post.id} reactions={post.reactions} />}
          {mine && (post.status === "DRAFT" || post.status === "SCHEDULED") && (
            <DraftEditor post={post} onChanged={setChanges} />
          )}
          {(mine || canModerate) && <DeletePost postId={post.id} slug={post.community.slug} />}
          {canThank && !mine && !post.author.formerMember && <KudosForm slug={post.community.slug} author={post.author} />}
          <section aria-labelledby="comments">
            <h2 id="comments" aria-live="polite">
              {plural("post.comments", count)}
            </h2>
            {comments.length === 0 && <p>{t("post.noComments")}</p>}
            <ol class="comments">
              {(replies.get(null) ?? []).map((comment) => (
                <CommentThread key={comment.id} comment={comment} replies={replies} powers={powers} />
              ))}
            </ol>
            {viewer && <CommentForm postId={post.id} onAdded={add} />}
          </section>
        </article>
      )}
    </Status>
  );
}
