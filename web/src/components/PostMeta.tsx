/** A post's byline: kind, author, date in the reader's locale, tags and reactions. */
import type { PostKind, ReactionKind } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { MemberName, type Named } from "./MemberName";

export type PostMetaFields = {
  kind: PostKind;
  publishedAt?: string | null;
  createdAt: string;
  tags: string[];
  author: Named;
  reactions: { counts: { kind: ReactionKind; count: number }[] };
};

export function Reactions({ counts }: { counts: { kind: ReactionKind; count: number }[] }) {
  const { t, number } = useI18n();
  const given = counts.filter(({ count }) => count > 0);
  if (!given.length) return null;
  return (
    <ul class="reactions" aria-label={t("reaction.summary")}>
      {given.map(({ kind, count }) => (
        <li key={kind}>
          {t(`reaction.${kind}`)} <strong>{number(count)}</strong>
        </li>
      ))}
    </ul>
  );
}

type MetaProps = {
  post: PostMetaFields;
  /** False where the page shows them as buttons instead. */
  reactions?: boolean;
  /** Where a tag links to (the community's feed filtered by it); plain text without. */
  tagHref?: ((tag: string) => string) | undefined;
};

export function PostMeta({ post, reactions = true, tagHref }: MetaProps) {
  const { t, date } = useI18n();
  const at = post.publishedAt ?? post.createdAt;
  return (
    <div class="post-meta">
      <p>
        <span class={`kind kind-${post.kind.toLowerCase()}`}>{t(`kind.${post.kind}`)}</span>{" "}
        {t("post.by")}{" "}
        <MemberName member={post.author} /> ·{" "}
        <time dateTime={at}>{date(at)}</time>
      </p>
      {post.tags.length > 0 && (
        <ul class="tags" aria-label={t("post.tags")}>
          {post.tags.map((tag) => (
            <li key={tag}>{tagHref ? <Link href={tagHref(tag)}>#{tag}</Link> : `#${tag}`}</li>
          ))}
        </ul>
      )}
      {reactions && <Reactions counts={post.reactions.counts} />}
    </div>
  );
}
