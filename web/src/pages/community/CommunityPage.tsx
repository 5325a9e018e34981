import { useCallback, useEffect, useState } from "preact/hooks";

import { request } from "../../api/client";
import { type LiveEvent, useActivity } from "../../api/live";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { CommunityFeedQuery, FeedPostFragment } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { mergeById, newestFirst } from "../../merge";
import { CommunityNav } from "./CommunityNav";
import { Composer } from "./Composer";
import { invitationInAddress, JoinPanel, type JoinedMembership } from "./JoinPanel";
import { WelcomePanel } from "../welcome/WelcomePanel";
import { PostCard } from "./PostCard";
import { FeedFilter, type Filter, filterHref, matches, useFeedFilter } from "./FeedFilter";

graphql(`
  fragment FeedPost on Post {
    id
    title
    kind
    createdAt
    publishedAt
    tags
    commentCount
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
    }
  }
`);

const COMMUNITY_FEED = graphql(`
  query CommunityFeed($slug: String!, $after: String, $tag: String, $kind: PostKind) {
    community(slug: $slug) {
      id
      slug
      name
      description
      joinPolicy
      activityCursor
      viewerMembership {
        id
        role
        status
      }
      pinnedPosts {
        ...FeedPost
      }
      posts(first: 20, after: $after, tag: $tag, kind: $kind) {
        edges {
          node {
            ...FeedPost
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

const FEED_POST = graphql(`
  query FeedPostById($id: ID!) {
    post(id: $id) {
      status
      ...FeedPost
    }
  }
`);

type Community = NonNullable<CommunityFeedQuery["community"]>;
type Feed = { community: Community | null; posts: FeedPostFragment[]; endCursor: string | null; hasMore: boolean };

function feedPage(slug: string, after: string | null, filter: Filter): Promise<Community | null> {
  return request(COMMUNITY_FEED, { slug, after, ...filter }).then((data) => data.community ?? null);
}

function postsOf(community: Community): FeedPostFragment[] {
  return community.posts.edges.map(({ node }) => node);
}

/** The post an activity event published, if it still stands. */
async function publishedPost({ subjectId }: LiveEvent): Promise<FeedPostFragment | null> {
  if (!subjectId) return null;
  const { post } = await request(FEED_POST, { id: subjectId });
  return post?.status === "PUBLISHED" ? post : null;
}

/**
 * The community's posts, newest first, growing live from the community's activity (a welcome
 * publishes the newcomer's introduction), followed from the cursor read with the first page: the
 * community is read before its posts, so nothing published after the page's read is missed.
 */
function useLiveFeed(slug: string, filter: Filter) {
  const [feed, setFeed] = useState<Feed>();
  const [error, setError] = useState<Error>();
  // Kept apart from the pages: a post can arrive live before the first page it may be missing from.
  const [arrived, setArrived] = useState<FeedPostFragment[]>([]);

  const readFirstPage = useCallback(() => {
    feedPage(slug, null, filter)
      .then((community) => {
        if (!community) return setFeed({ community: null, posts: [], endCursor: null, hasMore: false });
        setFeed((known) => ({
          community,
          posts: mergeById(known?.posts ?? [], postsOf(community), newestFirst),
          endCursor: known?.endCursor ?? community.posts.pageInfo.endCursor ?? null,
          hasMore: known?.hasMore ?? community.posts.pageInfo.hasNextPage,
        }));
      })
      .catch(setError);
  }, [slug, filter]);
  useEffect(readFirstPage, [readFirstPage]);

  useActivity(slug, feed?.community?.activityCursor ?? null, ["POSTED", "WELCOMED"], async (event) => {
    const post = await publishedPost(event);
    if (!post || !matches(filter, post)) return;
    setArrived((known) => mergeById(known, [post], newestFirst));
  });

  const loadOlder = async () => {
    if (!feed?.endCursor) return;
    const older = await feedPage(slug, feed.endCursor, filter).catch((caught: Error) => setError(caught));
    if (!older) return;
    setFeed((known) => ({
      community: known?.community ?? older,
      posts: mergeById(known?.posts ?? [], postsOf(older), newestFirst),
      endCursor: older.posts.pageInfo.endCursor ?? null,
      hasMore: older.posts.pageInfo.hasNextPage,
    }));
  };

  const posts = mergeById(feed?.posts ?? [], arrived, newestFirst);
  return { feed, posts, error, arrived: arrived.length, loadOlder, catchUp: readFirstPage };
}

/** A new filter reads the feed afresh: the page is drawn again for it. */
export function CommunityPage({ slug }: { slug: string }) {
  const filter = useFeedFilter();
  return <FilteredCommunityPage key={filterHref(slug, filter)} slug={slug} filter={filter} />;
}

function FilteredCommunityPage({ slug, filter }: { slug: string; filter: Filter }) {
  const { t, plural } = useI18n();
  const { feed, posts: allPosts, error, arrived, loadOlder, catchUp } = useLiveFeed(slug, filter);
  const [joined, setJoined] = useState<JoinedMembership>();
  const community = feed?.community;
  const membership = joined ?? community?.viewerMembership;
  const onJoined = (membership: JoinedMembership) => {
    setJoined(membership);
    catchUp();
  };
  // A private community is hidden from outsiders, but its invitation link lets them in. Its live feed
  // was refused while hidden: once in, the page loads afresh, subscriptions included.
  if (feed && !community && invitationInAddress() && !joined)
    return <JoinPanel slug={slug} policy={null} status={null} onJoined={() => location.replace(location.pathname)} />;
  if (feed && !community) return <p role="alert">{t("community.notFound")}</p>;
  const pinnedIds = new Set(community?.pinnedPosts.map(({ id }) => id));
  const posts = allPosts.filter(({ id }) => !pinnedIds.has(id));
  return (
    <Status loading={!feed} error={error}>
      {community && (
        <>
          <h1>{community.name}</h1>
          {community.description && <p class="lead">{community.description}</p>}
          <CommunityNav slug={slug} current="" />
          {membership?.status === "ACTIVE" && <WelcomePanel slug={slug} />}
          {membership?.status === "ACTIVE" ? (
            <Composer slug={slug} role={membership.role} />
          ) : (
            <JoinPanel
              slug={slug}
              policy={community.joinPolicy}
              status={membership?.status ?? null}
              onJoined={onJoined}
            />
          )}
          {community.pinnedPosts.length > 0 && (
            <section aria-labelledby="pinned">
              <h2 id="pinned">{t("community.pinned")}</h2>
              {community.pinnedPosts.map((post) => (
                <PostCard key={post.id} post={post} />
              ))}
            </section>
          )}
          <section aria-labelledby="feed">
            <h2 id="feed">{t("community.feed")}</h2>
            <p class="visually-hidden" aria-live="polite">
              {arrived > 0 && plural("community.newPost", arrived)}
            </p>
            <FeedFilter slug={slug} filter={filter} tags={[...new Set(allPosts.flatMap(({ tags }) => tags))]} />
            {posts.length === 0 && <p>{t("community.empty")}</p>}
            {posts.map((post) => (
              <PostCard key={post.id} post={post} tagHref={(tag) => filterHref(slug, { tag, kind: null })} />
            ))}
            {feed?.hasMore && (
              <button type="button" onClick={loadOlder}>
                {t("community.loadMore")}
              </button>
            )}
          </section>
        </>
      )}
    </Status>
  );
}
