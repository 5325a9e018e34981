import { useCallback, useEffect, useRef, useState } from "preact/hooks";

import { request } from "../api/client";
import { notificationCursor, useNotifications } from "../api/live";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { Link } from "../router";

const UNREAD = graphql(`
  query UnreadNotifications {
    notifications(unreadOnly: true, first: 1) {
      totalCount
    }
  }
`);

const countListeners = new Set<() => void>();

/** Notifications were marked read in this page: the bell counts again. */
export function unreadChanged(): void {
  countListeners.forEach((listener) => listener());
}

/**
 * The viewer's unread count, live from the cursor read before the first count. Every notification
 * that arrives has it counted again rather than added to, so one counted already (committed
 * between the two reads, then replayed) is not counted twice; the last count asked wins.
 */
function useUnreadCount(): number | undefined {
  const [count, setCount] = useState<number>();
  const [cursor, setCursor] = useState<string | null>(null);
  const asked = useRef(0);
  const recount = useCallback(() => {
    const mine = ++asked.current;
    request(UNREAD)
      .then(({ notifications }) => {
        if (mine === asked.current) setCount(notifications.totalCount);
      })
      .catch((error: unknown) => console.warn("unread count not read", error));
  }, []);
  useEffect(() => {
    notificationCursor()
      .then((start) => {
        setCursor(start);
        recount();
      })
      .catch((error: unknown) => console.warn("notifications not followed", error));
    countListeners.add(recount);
    return () => void countListeners.delete(recount);
  }, [recount]);
  useNotifications(cursor, recount);
  return count;
}

/** The header's bell: the viewer's live unread count, linking to /notifications. */
export function NotificationBell() {
  const { t, plural, number } = useI18n();
  const count = useUnreadCount();
  // No count until it is known: a bell that said "0 unread" meanwhile would say something untrue.
  return (
    <Link
      href="/notifications"
      aria-label={count === undefined ? t("notifications.title") : plural("notifications.bell", count)}
    >
      {/* Drawn, not an emoji: not every system has a font with a bell. */}
      <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="currentColor">
        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
      </svg>
      <span aria-hidden="true">{count ? ` ${number(count)}` : ""}</span>
    </Link>
  );
}
