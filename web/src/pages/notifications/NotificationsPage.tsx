import { useEffect, useState } from "preact/hooks";

import { request } from "../../api/client";
import { notificationCursor, useNotifications } from "../../api/live";
import { unreadChanged } from "../../components/NotificationBell";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { NotificationItemFragment } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { mergeById, newestFirst } from "../../merge";
import { Link } from "../../router";
import { useSession } from "../../session";
import { NotificationItem } from "./NotificationItem";

const NOTIFICATIONS_PAGE = graphql(`
  query NotificationsPage($after: String) {
    notifications(first: 20, after: $after) {
      edges {
        node {
          ...NotificationItem
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const MARK_READ = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]) {
    markNotificationsRead(ids: $ids)
  }
`);

type Item = NotificationItemFragment;
type Pages = { items: Item[]; endCursor: string | null; hasMore: boolean };

async function readPage(after: string | null) {
  return (await request(NOTIFICATIONS_PAGE, { after })).notifications;
}

/**
 * The viewer's notifications, newest first: the cursor is read first, then the first page, and
 * the subscription replays from that cursor what the page may have missed (merged by id).
 */
function useLiveNotifications() {
  const [pages, setPages] = useState<Pages>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [arrived, setArrived] = useState<Item[]>([]);
  const [error, setError] = useState<Error>();

  useEffect(() => {
    const readInOrder = async () => {
      const start = await notificationCursor();
      const first = await readPage(null);
      setPages({
        items: first.edges.map(({ node }) => node),
        endCursor: first.pageInfo.endCursor ?? null,
        hasMore: first.pageInfo.hasNextPage,
      });
      setCursor(start);
    };
    readInOrder().catch(setError);
  }, []);

  useNotifications(cursor, (notification) => setArrived((known) => mergeById(known, [notification], newestFirst)));

  const loadOlder = async () => {
    if (!pages?.endCursor) return;
    const older = await readPage(pages.endCursor).catch((caught: Error) => setError(caught));
    if (!older) return;
    setPages((known) => ({
      items: mergeById(known?.items ?? [], older.edges.map(({ node }) => node), newestFirst),
      endCursor: older.pageInfo.endCursor ?? null,
      hasMore: older.pageInfo.hasNextPage,
    }));
  };

  /** Marks read here at once, then on the server; the bell counts again either way. */
  const markRead = async (ids: string[] | null) => {
    const marked = (item: Item) => (ids === null || ids.includes(item.id) ? { ...item, read: true } : item);
    setPages((known) => known && { ...known, items: known.items.map(marked) });
    setArrived((known) => known.map(marked));
    try {
      await request(MARK_READ, { ids });
    } catch (caught) {
      setError(caught as Error);
    } finally {
      unreadChanged();
    }
  };

  const items = mergeById(pages?.items ?? [], arrived, newestFirst);
  return { pages, items, arrived: arrived.length, error, loadOlder, markRead };
}

function Notifications({ viewer }: { viewer: string }) {
  const { t, plural } = useI18n();
  const { pages, items, arrived, error, loadOlder, markRead } = useLiveNotifications();
  const unread = items.filter(({ read }) => !read);
  return (
    <Status loading={!pages} error={error}>
      <p class="visually-hidden" aria-live="polite">
        {arrived > 0 && plural("notifications.arrived", arrived)}
      </p>
      {unread.length > 0 && (
        <p>
          <button type="button" onClick={() => void markRead(null)}>
            {t("notifications.markAllRead")}
          </button>
        </p>
      )}
      {items.length === 0 && <p>{t("notifications.empty")}</p>}
      <ol class="cards" style={{ listStyle: "none", padding: 0 }}>
        {items.map((notification) => (
          <NotificationItem
            key={notification.id}
            notification={notification}
            viewer={viewer}
            onRead={(id) => void markRead([id])}
          />
        ))}
      </ol>
      {pages?.hasMore && (
        <button type="button" onClick={loadOlder}>
          {t("notifications.loadMore")}
        </button>
      )}
    </Status>
  );
}

export function NotificationsPage() {
  const { t } = useI18n();
  const { viewer, loading } = useSession();
  return (
    <>
      <h1>{t("notifications.title")}</h1>
      {viewer ? (
        <Notifications key={viewer.username} viewer={viewer.username} />
      ) : (
        !loading && (
          <p>
            <Link href="/login?next=%2Fnotifications">{t("notifications.logIn")}</Link>
          </p>
        )
      )}
    </>
  );
}
