import { graphql } from "../../gql";
import type { NotificationItemFragment, NotificationKind } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import type { MessageKey } from "../../i18n/en";

graphql(`
  fragment NotificationItem on Notification {
    id
    cursor
    kind
    title
    excerpt
    read
    createdAt
    actor {
      username
      displayName
    }
    community {
      slug
      name
    }
    subject {
      __typename
      id
      ... on Comment {
        post {
          id
        }
      }
    }
  }
`);

const LEADERBOARD_KINDS: readonly NotificationKind[] = ["RANK_UP", "OVERTAKEN", "LEVEL_UP"];

/** Where a notification leads: its post (a comment's post), event, the community's page for the rest. */
export function subjectHref(notification: NotificationItemFragment, viewer: string): string | null {
  const { subject, community, kind } = notification;
  const at = (path: string) => `/c/${encodeURIComponent(community?.slug ?? "")}${path}`;
  switch (subject?.__typename) {
    case "Post":
      return `/posts/${encodeURIComponent(subject.id)}`;
    case "Comment":
      return `/posts/${encodeURIComponent(subject.post.id)}`;
    case "Event":
      return `/events/${encodeURIComponent(subject.id)}`;
    case "BadgeAward":
    case "Kudos":
      return `/members/${encodeURIComponent(viewer)}`;
  }
  if (!community) return null;
  if (subject?.__typename === "Task") return at("/tasks");
  if (kind === "MEMBERSHIP_REQUESTED") return at("/manage");
  if (LEADERBOARD_KINDS.includes(kind)) return at("/leaderboard");
  return at("");
}

type Props = {
  notification: NotificationItemFragment;
  viewer: string;
  onRead: (id: string) => void;
};

export function NotificationItem({ notification, viewer, onRead }: Props) {
  const { t, date } = useI18n();
  const { kind, title, excerpt, read, createdAt, actor, community } = notification;
  const what = t(`notifications.kind.${kind}` as MessageKey, { actor: actor?.displayName ?? t("app.name") });
  const href = subjectHref(notification, viewer);
  return (
    <li class="card" style={read ? undefined : { borderLeft: "4px solid var(--accent)" }}>
      <p>
        {!read && <strong class="badge">{t("notifications.unread")} </strong>}
        {href ? <Link href={href}>{what}</Link> : what}
      </p>
      {(title || community) && (
        <p>
          {title && <strong>{title}</strong>}
          {community && title !== community.name && <span class="muted"> · {community.name}</span>}
        </p>
      )}
      {excerpt && <p class="muted">{excerpt}</p>}
      <p class="muted">
        <time dateTime={createdAt}>{date(createdAt)}</time>
        {!read && (
          <>
            {" "}
            <button type="button" onClick={() => onRead(notification.id)}>
              {t("notifications.markRead")}
            </button>
          </>
        )}
      </p>
    </li>
  );
}
