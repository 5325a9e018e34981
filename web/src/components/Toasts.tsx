/** Live toasts for the viewer's badges, level-ups and being overtaken (issue 13, recognition). */
import { useEffect, useRef, useState } from "preact/hooks";

import { subscribe } from "../api/live";
import { graphql } from "../gql";
import type { Level, ToastNotificationSubscription } from "../gql/graphql";
import { type I18n, useI18n } from "../i18n";
import { Link } from "../router";
import { useSession } from "../session";

const SHOWN_MS = 8000; // long enough to read; paused while the pointer or focus is on a toast
const LEVELS: readonly Level[] = ["NEWCOMER", "MEMBER", "REGULAR", "LEADER"];

// Its own subscription: the notification bell follows the same feed for its own purpose.
const NOTIFICATIONS = graphql(`
  subscription ToastNotification($after: String) {
    notifications(after: $after) {
      id
      cursor
      kind
      title
      actor {
        displayName
      }
      community {
        slug
        name
      }
    }
  }
`);

type Notification = ToastNotificationSubscription["notifications"];
type Toast = { id: string; text: string; href: string };

/** The toast a notification makes, or null for kinds that are the bell's alone. */
function toastOf({ id, kind, title, actor, community }: Notification, { t }: I18n): Toast | null {
  if (!community) return null;
  const where = { community: community.name };
  if (kind === "BADGE_AWARDED")
    return { id, text: t("toast.BADGE_AWARDED", { ...where, title: title ?? "" }), href: `/c/${community.slug}/badges` };
  if (kind === "LEVEL_UP") {
    // The title is the level's name in English ("Regular"): the level itself, for the viewer's language.
    const level = LEVELS.find((known) => known === title?.toUpperCase());
    const name = level ? t(`recognition.level.${level}`) : (title ?? "");
    return { id, text: t("toast.LEVEL_UP", { ...where, level: name }), href: `/c/${community.slug}/leaderboard` };
  }
  if (kind === "OVERTAKEN") {
    const name = actor?.displayName ?? t("toast.someone");
    return { id, text: t("toast.OVERTAKEN", { ...where, name }), href: `/c/${community.slug}/leaderboard?period=WEEK` };
  }
  return null;
}

/**
 * The viewer's notifications, followed wherever they are in the app. After a dropped connection the
 * subscription resumes after the last one seen (its cursor is kept in the variables graphql-ws sends
 * again), and ids already shown are skipped, so a reconnect never shows a toast twice.
 */
function useToasts(viewerId: string | null) {
  const i18n = useI18n();
  const language = useRef(i18n);
  language.current = i18n;
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    setToasts([]);
    if (viewerId === null) return undefined;
    const variables: { after: string | null } = { after: null };
    const seen = new Set<string>();
    return subscribe(
      NOTIFICATIONS,
      variables,
      ({ notifications: notification }) => {
        variables.after = notification.cursor;
        if (seen.has(notification.id)) return;
        seen.add(notification.id);
        const toast = toastOf(notification, language.current);
        if (toast) setToasts((shown) => [...shown, toast]);
      },
      (error) => console.warn("toasts stopped", error),
    );
  }, [viewerId]);
  const dismiss = (id: string) => setToasts((shown) => shown.filter((toast) => toast.id !== id));
  return { toasts, dismiss };
}

/** Dismisses the oldest toast after SHOWN_MS, the clock starting again once the viewer looks away. */
function useExpiry(toasts: Toast[], paused: boolean, dismiss: (id: string) => void) {
  const oldest = toasts[0]?.id;
  useEffect(() => {
    if (oldest === undefined || paused) return undefined;
    const timer = setTimeout(() => dismiss(oldest), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [oldest, paused]); // dismiss is new at each render but always does the same

}

export function Toasts() {
  const { t } = useI18n();
  const { viewer } = useSession();
  const { toasts, dismiss } = useToasts(viewer?.id ?? null);
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  useExpiry(toasts, hovered || focused, dismiss);
  if (!viewer) return null;
  return (
    <section
      class="toasts"
      aria-label={t("toast.region")}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocusIn={() => setFocused(true)}
      onFocusOut={() => setFocused(false)}
    >
      <ul aria-live="polite">
        {toasts.map((toast) => (
          <li key={toast.id} class="toast">
            <p>
              {toast.text} <Link href={toast.href}>{t("toast.open")}</Link>
            </p>
            <button type="button" class="close" aria-label={t("toast.dismiss")} onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
