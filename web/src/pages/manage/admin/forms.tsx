import { useState } from "preact/hooks";

import { RequestError } from "../../../api/client";

/** The API's refusal, placed by the field it names (`extensions.field`; "" for the form as a whole). */
export type Problem = { field: string; message: string; target: string };

/**
 * One form's (or one list's) sending state, the API's refusal beside the field at fault, and the polite
 * note of success. `fields` are the names the mutation uses in `extensions.field`; `target` tells which
 * row of a list the refusal belongs to.
 */
export function useAction(prefix: string, fields: readonly string[]) {
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState("");
  const [sending, setSending] = useState(false);

  const run = async (action: () => Promise<string>, target = "") => {
    setSending(true);
    setDone("");
    try {
      setDone(await action());
      setProblem(undefined);
    } catch (caught) {
      const error = caught instanceof RequestError ? caught : new RequestError([{ message: String(caught) }]);
      const field = fields.includes(error.field ?? "") ? (error.field as string) : "";
      setProblem({ field, message: error.message, target });
    } finally {
      setSending(false);
    }
  };

  const idOf = (...parts: string[]) => parts.filter(Boolean).join("-");
  const problemId = (field: string, target = "") => idOf(prefix, target, field || "form", "problem");
  const faulty = (field: string, target = "") => problem?.field === field && problem.target === target;

  /** id, name and ARIA state of the input for `field` (with `hint`, the id of its hint). */
  const input = (field: string, { target = "", hint }: { target?: string; hint?: string } = {}) => {
    const described = [hint, faulty(field, target) && problemId(field, target)].filter(Boolean).join(" ");
    return {
      id: idOf(prefix, target, field),
      name: field,
      "aria-invalid": faulty(field, target),
      "aria-describedby": described || undefined,
    };
  };

  /** The refusal's text beside `field` ("" for the form as a whole), when the API named it. */
  const says = (field: string, target = "") =>
    faulty(field, target) && (
      <p id={problemId(field, target)} class="problem" role="alert">
        {problem?.message}
      </p>
    );

  /** The polite note of what just succeeded (rendered from the start, so screen readers hear it change). */
  const note = () => (
    <p class="admin-done" aria-live="polite">
      {done}
    </p>
  );

  return { run, sending, input, says, note };
}
