/** A labelled form field that shows the server's complaint about it beside it (events and tasks forms). */
import type { InputHTMLAttributes } from "preact";

import { RequestError } from "../../api/client";

/** Problems by the input's field name, as the API names it in `extensions.field`; "" for the form as a whole. */
export type Problems = Record<string, string>;

export function problemsOf(caught: unknown, fields: readonly string[]): Problems {
  const error = caught instanceof RequestError ? caught : new RequestError([{ message: String(caught) }]);
  const field = error.field && fields.includes(error.field) ? error.field : "";
  return { [field]: error.message };
}

type FieldProps = {
  form: string; // the form's id prefix, so two forms on a page never share an id
  name: string;
  label: string;
  hint?: string;
  problems: Problems;
  multiline?: boolean;
  type?: "text" | "number" | "url" | "datetime-local";
  required?: boolean;
  maxLength?: number;
  min?: number;
};

export function Field({ form, name, label, hint, problems, multiline, type = "text", ...input }: FieldProps) {
  const id = `${form}-${name}`;
  const problem = problems[name];
  const described = [hint && `${id}-hint`, problem && `${id}-problem`].filter(Boolean).join(" ") || undefined;
  // Preact types <input> per `type`; this one takes any of the few above.
  const shared = { id, name, "aria-invalid": !!problem, "aria-describedby": described };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {multiline ? (
        <textarea {...shared} rows={3} />
      ) : (
        <input {...({ type, ...input, ...shared } as InputHTMLAttributes<HTMLInputElement>)} />
      )}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
      {problem && (
        <p id={`${id}-problem`} class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The complaint about the form as a whole, if any. */
export function FormProblem({ problems }: { problems: Problems }) {
  return problems[""] ? (
    <p class="problem" role="alert">
      {problems[""]}
    </p>
  ) : null;
}

/** A datetime-local input's value as the API wants it (with the time zone); null when empty. */
export function instant(value: FormDataEntryValue | null): string | null {
  const text = String(value ?? "");
  return text ? new Date(text).toISOString() : null;
}
