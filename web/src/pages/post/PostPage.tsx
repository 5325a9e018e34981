import { useQuery } from "../../api/useQuery";
import { PostMeta, Reactions } from "../../components/PostMeta";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { PostPageQuery } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";

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
        }
      }
    }
  }
`);

type Comment = NonNullable<PostPageQuery["post"]>["comments"]["edges"][number]["node"];

function CommentItem({ comment }: { comment: Comment }) {
  const { t, date } = useI18n();
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
    </li>
  );
}

export function PostPage({ id }: { id: string }) {
  const { t, plural } = useI18n();
  const { data, loading, error } = useQuery(POST_PAGE, { id });
  const post = data?.post;
  if (data && !post) return <p role="alert">{t("post.notFound")}</p>;
  const comments = post?.comments.edges.map(({ node }) => node) ?? [];
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
            <h2 id="comments">{plural("post.comments", post.commentCount)}</h2>
            {comments.length === 0 && <p>{t("post.noComments")}</p>}
            <ol class="comments">
              {comments.map((comment) => (
                <CommentItem key={comment.id} comment={comment} />
              ))}
            </ol>
          </section>
        </article>
      )}
    </Status>
  );
}
