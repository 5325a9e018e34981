/** Who is signed in, read with `me`; the session itself is an HttpOnly cookie the app never sees. */
import { type ComponentChildren, createContext } from "preact";
import { useContext } from "preact/hooks";

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
  const session = { viewer: data?.me ?? null, loading, refresh: refetch };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}
