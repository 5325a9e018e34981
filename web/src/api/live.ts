/** Subscriptions over graphql-ws on /graphql; the browser sends the session cookie with the upgrade. */
import { type Client, createClient } from "graphql-ws";
import { useEffect, useRef, useState } from "preact/hooks";

import { graphql } from "../gql";
import { request } from "./client";
import type {
  ActivityVerb,
  LiveActivityEventFragment,
  NotificationItemFragment,
  TypedDocumentString,
} from "../gql/graphql";

let client: Client | undefined;
const reconnectedListeners = new Set<() => void>();
const sessionEndedListeners = new Set<() => void>();

// graphql-transport-ws's Unauthorized: Cercle closes a session's sockets with it once the session ends
// (logged out or revoked elsewhere, a password changed or reset, the account deleted or suspended).
const SESSION_ENDED = 4401;

function endsTheSession(event: unknown): boolean {
  return typeof event === "object" && event !== null && (event as { code?: unknown }).code === SESSION_ENDED;
}

/** Calls `listener` whenever Cercle ends this page's session from its side; returns the way to stop. */
export function onSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/** Offline, a new socket would only fail (and say so in the console): the next attempt waits for the network. */
function whenOnline(then: () => void): void {
  if (navigator.onLine) then();
  else addEventListener("online", then, { once: true });
}

export function liveClient(): Client {
  client ??= createClient({
    url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
    // A dropped network is retried for as long as the page is open; graphql-ws resubscribes by itself.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: (retries) =>
      new Promise((resolve) => whenOnline(() => setTimeout(resolve, Math.min(500 * 2 ** retries, 4000)))),
    on: {
      connected: (_socket, _payload, wasRetry) => {
        if (wasRetry) reconnectedListeners.forEach((listener) => listener());
      },
      closed: (event) => {
        if (endsTheSession(event)) sessionEndedListeners.forEach((listener) => listener());
      },
    },
  });
  return client;
}

// A browser that goes offline may keep its socket open (and silent) for minutes: start again at once.
addEventListener("offline", () => client?.terminate());

/** A new session (login, logout) needs a new socket: the old one is authenticated as before. */
export function resetLive(): void {
  void client?.dispose();
  client = undefined;
}

graphql(`
  fragment LiveActivityEvent on ActivityEvent {
    cursor
    verb
    subjectId
  }
`);

const ACTIVITY = graphql(`
  subscription LiveActivity($slug: String!, $after: String) {
    activity(communitySlug: $slug, after: $after) {
      ...LiveActivityEvent
    }
  }
`);

export type LiveEvent = LiveActivityEventFragment;

type Resumable = { cursor: string };

/**
 * Follows a subscription from the cursor `after`, handing its events to `onEvent` one after the
 * other, in order. After a dropped connection it resumes from the cursor of the last event handled,
 * so nothing is missed and nothing comes twice: graphql-ws sends the same subscribe payload again on
 * every retry, and its `after` is kept at that cursor (the payload is serialised afresh each time,
 * so updating the object is enough). An event that could not be handled (its subject could not be
 * read: the network dropped meanwhile) restarts the connection from the cursor before it.
 */
function follow<Data, Event extends Resumable>(
  query: string,
  variables: Record<string, unknown> & { after: string },
  eventOf: (data: Data) => Event,
  onEvent: (event: Event) => Promise<void>,
): () => void {
  let handled = Promise.resolve();
  let missed = false; // an event that could not be handled: resume from before it
  const reconnected = () => {
    missed = false;
  };
  reconnectedListeners.add(reconnected);
  const unsubscribe = liveClient().subscribe<Data>(
    { query, variables },
    {
      next: ({ data }) => {
        if (!data) return;
        const event = eventOf(data);
        // One event at a time, so the views see them in order whatever their subjects take to load.
        handled = handled
          .then(() => onEvent(event))
          .then(
            () => {
              if (!missed) variables.after = event.cursor;
            },
            (error: unknown) => {
              missed = true;
              console.warn("live event not shown yet: resuming from before it", error);
              liveClient().terminate();
            },
          );
      },
      // A session ended by Cercle is no fault: the page hears of it through onSessionEnded.
      error: (error) => {
        if (!endsTheSession(error)) console.error("subscription ended", error);
      },
      complete: () => undefined,
    },
  );
  return () => {
    reconnectedListeners.delete(reconnected);
    unsubscribe();
  };
}

/**
 * Follows a community's activity while the component is shown, from `after`: the community's
 * `activityCursor`, read no later than the content the view shows (with it, or before it). What
 * was committed after that read is replayed first, so nothing slips between the read and the
 * subscription; what comes twice (in the content and replayed) the views merge by id. The events
 * of `verbs` go to `onEvent`, one after the other, in order; after a dropped connection the feed
 * resumes after the last event handled. Nothing is followed while `slug` or `after` is null; a
 * cursor read afresh (with the content read again) starts afresh from it.
 */
export function useActivity(
  slug: string | null,
  after: string | null,
  verbs: readonly ActivityVerb[],
  onEvent: (event: LiveEvent) => Promise<void>,
): void {
  const handlers = useRef(onEvent);
  handlers.current = onEvent;
  const verbsKey = verbs.join();

  useEffect(() => {
    if (slug === null || after === null) return undefined;
    const wanted = new Set(verbsKey.split(","));
    return follow(
      ACTIVITY.toString(),
      { slug, after },
      (data: { activity: LiveEvent }) => data.activity,
      async (event) => {
        if (wanted.has(event.verb)) await handlers.current(event);
      },
    );
  }, [slug, after, verbsKey]);
}

const ACTIVITY_CURSOR = graphql(`
  query ActivityCursor($slug: String!) {
    community(slug: $slug) {
      activityCursor
    }
  }
`);

/**
 * For views that read themselves again whenever something happens (events, tasks): reads where the
 * community's activity stands, then reads the view again, so nothing committed between the view's
 * first read and the subscription is missed; from then on, reads it again after each event of
 * `verbs` that `concerns` the view.
 */
export function useRereadOnActivity(
  slug: string | null,
  verbs: readonly ActivityVerb[],
  reread: () => Promise<void>,
  concerns: (event: LiveEvent) => boolean = () => true,
): void {
  const [after, setAfter] = useState<string | null>(null);
  const handlers = useRef({ reread, concerns });
  handlers.current = { reread, concerns };
  useEffect(() => {
    setAfter(null);
    if (slug === null) return undefined;
    let shown = true;
    const start = async () => {
      const { community } = await request(ACTIVITY_CURSOR, { slug });
      if (!community) return;
      await handlers.current.reread();
      if (shown) setAfter(community.activityCursor);
    };
    start().catch((error: unknown) => console.warn("live view not started", error));
    return () => {
      shown = false;
    };
  }, [slug]);
  useActivity(slug, after, verbs, async (event) => {
    if (handlers.current.concerns(event)) await handlers.current.reread();
  });
}

const NOTIFICATION_CURSOR = graphql(`
  query NotificationCursor {
    me {
      notificationCursor
    }
  }
`);

/** Where the viewer's notifications stand now: read it before what a view shows of them. */
export async function notificationCursor(): Promise<string | null> {
  const { me } = await request(NOTIFICATION_CURSOR);
  return me?.notificationCursor ?? null;
}

const NOTIFICATIONS = graphql(`
  subscription LiveNotifications($after: String) {
    notifications(after: $after) {
      ...NotificationItem
    }
  }
`);

/**
 * Follows the viewer's notifications while the component is shown, from `after`: their
 * `notificationCursor`, read no later than what the view shows of them. As useActivity: what came
 * after that read is replayed first, one after the other, in order; a dropped connection resumes
 * after the last one handled. Nothing is followed while `after` is null.
 */
export function useNotifications(
  after: string | null,
  onNotification: (notification: NotificationItemFragment) => Promise<void> | void,
): void {
  const handler = useRef(onNotification);
  handler.current = onNotification;

  useEffect(() => {
    if (after === null) return undefined;
    return follow(
      NOTIFICATIONS.toString(),
      { after },
      (data: { notifications: NotificationItemFragment }) => data.notifications,
      async (notification) => handler.current(notification),
    );
  }, [after]);
}

/**
 * One subscription on the app's socket, until the returned function is called. graphql-ws sends
 * `variables` again on every reconnect, serialised afresh: a caller that keeps a resume cursor in
 * it (see useActivity) resumes from there.
 */
export function subscribe<Result, Variables extends Record<string, unknown>>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  onData: (data: Result) => void,
  onError: (error: unknown) => void,
): () => void {
  return liveClient().subscribe<Result>(
    { query: document.toString(), variables },
    {
      next: ({ data, errors }) => {
        if (data) onData(data);
        else if (errors?.length) onError(errors);
      },
      error: onError,
      complete: () => undefined,
    },
  );
}
