/** Subscriptions over graphql-ws on /graphql; the browser sends the session cookie with the upgrade. */
import { type Client, createClient } from "graphql-ws";
import { useEffect, useRef } from "preact/hooks";

import type { TypedDocumentString } from "../gql/graphql";

let client: Client | undefined;
const reconnectedListeners = new Set<() => void>();

function liveClient(): Client {
  client ??= createClient({
    url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
    // A dropped network is retried for as long as the page is open; graphql-ws resubscribes by itself.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connected: (_socket, _payload, wasRetry) => {
        if (wasRetry) reconnectedListeners.forEach((listener) => listener());
      },
    },
  });
  return client;
}

/** A new session (login, logout) needs a new socket: the old one is authenticated as before. */
export function resetLive(): void {
  void client?.dispose();
  client = undefined;
}

/**
 * Follows a subscription while the component is shown. `onReconnected` runs after a dropped
 * connection came back, so the view can catch up on what it missed meanwhile.
 */
export function useSubscription<Result, Variables extends Record<string, unknown>>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables | null,
  onData: (data: Result) => void,
  onReconnected: () => void,
): void {
  const handlers = useRef({ onData, onReconnected });
  handlers.current = { onData, onReconnected };
  const key = variables === null ? null : JSON.stringify(variables);

  useEffect(() => {
    if (key === null) return undefined;
    const reconnected = () => handlers.current.onReconnected();
    reconnectedListeners.add(reconnected);
    const unsubscribe = liveClient().subscribe<Result>(
      { query: document.toString(), variables: JSON.parse(key) as Variables },
      {
        next: (answer) => answer.data && handlers.current.onData(answer.data),
        error: (error) => console.error("subscription ended", error),
        complete: () => undefined,
      },
    );
    return () => {
      reconnectedListeners.delete(reconnected);
      unsubscribe();
    };
  }, [document, key]);
}
