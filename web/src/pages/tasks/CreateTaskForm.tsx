import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { Field, FormProblem, instant, type Problems, problemsOf } from "../events/Field";

const CREATE_TASK = graphql(`
  mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      id
    }
  }
`);

const FIELDS = ["title", "description", "requiredSkills", "dueAt", "points"];

/** For managers: ask for help, with the skills wanted (they rank the suggested members). */
export function CreateTaskForm({ slug, onCreated }: { slug: string; onCreated: () => Promise<void> }) {
  const { t } = useI18n();
  const [problems, setProblems] = useState<Problems>({});
  const [sending, setSending] = useState(false);
  const [created, setCreated] = useState<string>();
  const [open, setOpen] = useState(false);

  const create = async (submitted: SubmitEvent) => {
    submitted.preventDefault();
    const form = submitted.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const text = (name: string) => String(fields.get(name) ?? "").trim();
    setSending(true);
    setCreated(undefined);
    try {
      await request(CREATE_TASK, {
        input: {
          communitySlug: slug,
          title: text("title"),
          description: text("description"),
          requiredSkills: text("requiredSkills")
            .split(",")
            .map((skill) => skill.trim())
            .filter(Boolean),
          dueAt: instant(fields.get("dueAt")),
          points: text("points") ? Number(text("points")) : 0,
        },
      });
      setCreated(text("title"));
      setProblems({});
      form.reset();
      await onCreated();
    } catch (caught) {
      setProblems(problemsOf(caught, FIELDS));
    } finally {
      setSending(false);
    }
  };

  const field = { form: "new-task", problems };
  return (
    <section class="card" aria-labelledby="new-task">
      <h2 id="new-task">{t("tasks.create")}</h2>
      <button type="button" aria-expanded={open} aria-controls="new-task-form" onClick={() => setOpen(!open)}>
        {t("tasks.createToggle")}
      </button>
      <form id="new-task-form" hidden={!open} onSubmit={create} noValidate>
        <Field {...field} name="title" label={t("tasks.title")} required maxLength={200} />
        <Field {...field} name="description" label={t("tasks.description")} multiline />
        <Field
          {...field}
          name="requiredSkills"
          label={t("tasks.requiredSkills")}
          hint={t("tasks.requiredSkillsHint")}
        />
        <Field {...field} name="dueAt" label={t("tasks.dueAt")} type="datetime-local" />
        <Field {...field} name="points" label={t("tasks.pointsField")} type="number" min={0} />
        <FormProblem problems={problems} />
        <button type="submit" disabled={sending}>
          {t("tasks.createSubmit")}
        </button>
        <p aria-live="polite">{created && t("tasks.created", { title: created })}</p>
      </form>
    </section>
  );
}
