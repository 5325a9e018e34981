import { useCallback, useEffect, useRef, useState } from "preact/hooks";

import type { TypedDocumentString } from "../gql/graphql";
import { request } from "./client";

export type QueryState<Result> = {
  data: Result | undefined;
  error: Error | undefined;
  loading: boolean;
  refetch: () => Promise<void>;
};

/** Runs a query when the page shows and again whenever its variables change. */
export function useQuery<Result, Variables extends Record<string, unknown>>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
): QueryState<Result> {
  const [data, setData] = useState<Result>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const latest = useRef(0); // an answer to older variables must not overwrite a newer one
  const key = JSON.stringify(variables);

  const refetch = useCallback(async () => {
    const asked = ++latest.current;
    setLoading(true);
    try {
      const result = await request(document, JSON.parse(key) as Variables);
      if (asked === latest.current) {
        setData(result);
        setError(undefined);
      }
    } catch (caught) {
      if (asked === latest.current) setError(caught as Error);
    } finally {
      if (asked === latest.current) setLoading(false);
    }
  }, [document, key]);

  useEffect(() => {
    void refetch();
  }, [refetch]);

  return { data, error, loading, refetch };
}
