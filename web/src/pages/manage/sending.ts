import { useState } from "preact/hooks";

import { RequestError } from "../../api/client";

/** A form's requests, one at a time, with the failure's message for the form to show beside it. */
export function useSending() {
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string>();
  const send = async (work: () => Promise<void>) => {
    setSending(true);
    setProblem(undefined);
    try {
      await work();
    } catch (caught) {
      setProblem(caught instanceof RequestError ? caught.message : String(caught));
    } finally {
      setSending(false);
    }
  };
  return { sending, problem, send };
}
