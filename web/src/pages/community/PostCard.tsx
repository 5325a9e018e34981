import { PostMeta } from "../../components/PostMeta";
import type { FeedPostFragment } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";

export function PostCard({ post, tagHref }: { post: FeedPostFragment; tagHref?: (tag: string) => string }) {
  const { plural } = useI18n();
  return (
    <article class="card post-card">
      <h3>
        <Link href={`/posts/${encodeURIComponent(post.id)}`}>{post.title}</Link>
      </h3>
      <PostMeta post={post} tagHref={tagHref} />
      <p class="muted">{plural("post.comments", post.commentCount)}</p>
    </article>
  );
}
