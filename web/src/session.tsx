/** Who is signed in, read with `me`; the session itself is an HttpOnly cookie the app never sees. */
import { type ComponentChildren, createContext } from "preact";
import { useContext, useEffect } from "preact/hooks";

import { onSessionEnded, resetLive } from "./api/live";
import { useQuery } from "./api/useQuery";
import { graphql } from "./gql";
import type { ViewerQuery } from "./gql/graphql";

const VIEWER = graphql(`
  query Viewer {
    me {
      id
      username
      displayName
    }
  }
`);

export type Viewer = NonNullable<ViewerQuery["me"]>;
type Session = { viewer: Viewer | null; loading: boolean; refresh: () => Promise<void> };

const SessionContext = createContext<Session>({ viewer: null, loading: true, refresh: async () => undefined });

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const { data, loading, refetch } = useQuery(VIEWER, {});
  // Ended from elsewhere (another device, a password reset, a suspension): the page stops acting as the member.
  useEffect(
    () =>
      onSessionEnded(() => {
        resetLive();
        void refetch();
      }),
    [refetch],
  );
  const session = { viewer: data?.me ?? null, loading, refresh: refetch };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}
