/** Subscriptions over graphql-ws on /graphql; the browser sends the session cookie with the upgrade. */
import { type Client, createClient } from "graphql-ws";
import { useEffect, useRef } from "preact/hooks";

import { graphql } from "../gql";
import type { ActivityVerb, LiveActivityEventFragment } from "../gql/graphql";

let client: Client | undefined;
const reconnectedListeners = new Set<() => void>();

export function liveClient(): Client {
  client ??= createClient({
    url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
    // A dropped network is retried for as long as the page is open; graphql-ws resubscribes by itself.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 4000))),
    on: {
      connected: (_socket, _payload, wasRetry) => {
        if (wasRetry) reconnectedListeners.forEach((listener) => listener());
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

/**
 * Follows a community's activity while the component is shown, handing the events of `verbs` to
 * `onEvent` one after the other, in order. After a dropped connection it resumes from the cursor
 * of the last event seen, so nothing is missed and nothing comes twice: graphql-ws sends the same
 * subscribe payload again on every retry, and its `after` is kept at that cursor (the payload is
 * serialised afresh each time, so updating the object is enough).
 *
 * `onStarted` runs right after the subscription is sent: a view reads its first page then rather
 * than before, so a post published meanwhile comes live, in the page, or both (the views merge by
 * id). What the server publishes in the milliseconds before it has registered the subscription
 * and after the page's read can still slip through: only an activity cursor read before the page
 * would close that, and the API offers none outside the events. Before any event there is no
 * cursor to resume from, so a reconnect then calls `onStarted` again to read the page afresh. An event whose subject
 * could not be read (the network dropped meanwhile) restarts the connection from the cursor before it.
 */
export function useActivity(
  slug: string | null,
  verbs: readonly ActivityVerb[],
  onEvent: (event: LiveEvent) => Promise<void>,
  onStarted: () => void,
): void {
  const handlers = useRef({ onEvent, onStarted });
  handlers.current = { onEvent, onStarted };
  const verbsKey = verbs.join();

  useEffect(() => {
    if (slug === null) return undefined;
    const wanted = new Set(verbsKey.split(","));
    const variables: { slug: string; after: string | null } = { slug, after: null };
    let handled = Promise.resolve();
    let missed = false; // an event whose subject could not be read: resume from before it
    const reconnected = () => {
      missed = false;
      if (variables.after === null) handlers.current.onStarted();
    };
    reconnectedListeners.add(reconnected);
    const unsubscribe = liveClient().subscribe<{ activity: LiveEvent }>(
      { query: ACTIVITY.toString(), variables },
      {
        next: ({ data }) => {
          if (!data) return;
          const event = data.activity;
          // One event at a time, so the views see them in order whatever their subjects take to load.
          handled = handled
            .then(() => (wanted.has(event.verb) ? handlers.current.onEvent(event) : undefined))
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
        error: (error) => console.error("subscription ended", error),
        complete: () => undefined,
      },
    );
    handlers.current.onStarted();
    return () => {
      reconnectedListeners.delete(reconnected);
      unsubscribe();
    };
  }, [slug, verbsKey]);
}
