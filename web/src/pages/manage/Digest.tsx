/** The digest: draft one for a period, edit it, hand it to an editor as a task, or publish it. */
import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { graphql } from "../../gql";
import type { DigestDraftFragment, DigestTaskFragment, Period } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { useSending } from "./sending";

graphql(`
  fragment DigestDraft on Post {
    id
    title
    body
    status
  }
`);

graphql(`
  fragment DigestTask on Task {
    id
    suggestedMembers(first: 5) {
      reason
      member {
        username
        displayName
      }
    }
  }
`);

const GENERATE = graphql(`
  mutation GenerateDigest($slug: String!, $period: Period!) {
    generateDigest(communitySlug: $slug, period: $period) {
      ...DigestDraft
    }
  }
`);

const SAVE = graphql(`
  mutation SaveDigest($input: UpdatePostInput!) {
    updatePost(input: $input) {
      ...DigestDraft
    }
  }
`);

const PUBLISH = graphql(`
  mutation PublishDigest($id: ID!) {
    publishPost(postId: $id) {
      ...DigestDraft
    }
  }
`);

const HAND_OVER = graphql(`
  mutation HandDigestOver($input: CreateTaskInput!) {
    createTask(input: $input) {
      ...DigestTask
    }
  }
`);

const ASSIGN = graphql(`
  mutation AssignDigest($taskId: ID!, $username: String!) {
    assignTask(taskId: $taskId, username: $username) {
      id
      assignee {
        displayName
      }
    }
  }
`);

const DIGEST_PERIODS: Period[] = ["WEEK", "DAY", "MONTH"];

function HandOver({ slug, draft }: { slug: string; draft: DigestDraftFragment }) {
  const { t } = useI18n();
  const [task, setTask] = useState<DigestTaskFragment>();
  const [done, setDone] = useState<string>();
  const { sending, problem, send } = useSending();

  const create = () =>
    send(async () => {
      const input = { communitySlug: slug, title: t("manage.taskTitle"), postId: draft.id };
      setTask((await request(HAND_OVER, { input })).createTask);
      setDone(t("manage.taskCreated"));
    });
  const assign = (event: SubmitEvent) => {
    event.preventDefault();
    const username = String(new FormData(event.currentTarget as HTMLFormElement).get("editor") ?? "");
    if (!task || !username) return;
    void send(async () => {
      const { assignTask } = await request(ASSIGN, { taskId: task.id, username });
      setDone(t("manage.assigned", { name: assignTask.assignee?.displayName ?? username }));
    });
  };

  return (
    <section aria-labelledby="digest-hand-over" class="hand-over">
      <h3 id="digest-hand-over">{t("manage.handOver")}</h3>
      <p class="muted">{t("manage.handOverIntro")}</p>
      {!task && (
        <button type="button" onClick={create} disabled={sending}>
          {t("manage.createTask")}
        </button>
      )}
      {task && task.suggestedMembers.length === 0 && <p>{t("manage.noSuggestion")}</p>}
      {task && task.suggestedMembers.length > 0 && (
        <form onSubmit={assign}>
          <div class="field">
            <label for="digest-editor">{t("manage.editor")}</label>
            <select id="digest-editor" name="editor">
              {task.suggestedMembers.map(({ member, reason }) => (
                <option key={member.username} value={member.username}>
                  {member.displayName}: {reason}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={sending}>
            {t("manage.assign")}
          </button>
        </form>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <p aria-live="polite">
        {done}
        {task && (
          <>
            {" "}
            <Link href={`/c/${slug}/tasks`}>{t("manage.tasksLink")}</Link>
          </>
        )}
      </p>
    </section>
  );
}

export function DigestPanel({ slug }: { slug: string }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<DigestDraftFragment>();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [done, setDone] = useState<string>();
  const { sending, problem, send } = useSending();

  const shown = (post: DigestDraftFragment, message: string) => {
    setDraft(post);
    setTitle(post.title);
    setBody(post.body);
    setDone(message);
  };
  const generate = (event: SubmitEvent) => {
    event.preventDefault();
    const period = String(new FormData(event.currentTarget as HTMLFormElement).get("period")) as Period;
    void send(async () => shown((await request(GENERATE, { slug, period })).generateDigest, t("manage.generated")));
  };
  const save = async (post: DigestDraftFragment) =>
    (await request(SAVE, { input: { postId: post.id, title, body } })).updatePost;
  const saveDraft = (event: SubmitEvent) => {
    event.preventDefault();
    if (draft) void send(async () => shown(await save(draft), t("manage.saved")));
  };
  const publish = () => {
    if (draft)
      void send(async () => {
        await save(draft);
        shown((await request(PUBLISH, { id: draft.id })).publishPost, t("manage.published"));
      });
  };

  const published = draft?.status === "PUBLISHED";
  return (
    <section aria-labelledby="digest" class="card">
      <h2 id="digest">{t("manage.digest")}</h2>
      <p class="muted">{t("manage.digestIntro")}</p>
      <form onSubmit={generate} class="inline-form">
        <div class="field">
          <label for="digest-period">{t("manage.digestPeriod")}</label>
          <select id="digest-period" name="period">
            {DIGEST_PERIODS.map((period) => (
              <option key={period} value={period}>
                {t(`manage.period.${period}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={sending}>
          {t("manage.generate")}
        </button>
      </form>
      {draft && !published && (
        <form onSubmit={saveDraft}>
          <div class="field">
            <label for="digest-title">{t("manage.digestTitle")}</label>
            <input
              id="digest-title"
              required
              maxLength={200}
              value={title}
              onInput={(event) => setTitle(event.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="digest-body">{t("manage.digestBody")}</label>
            <textarea id="digest-body" rows={14} value={body} onInput={(event) => setBody(event.currentTarget.value)} />
          </div>
          <div class="actions">
            <button type="submit" disabled={sending}>
              {t("manage.save")}
            </button>
            <button type="button" onClick={publish} disabled={sending}>
              {t("manage.publish")}
            </button>
          </div>
        </form>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <p aria-live="polite">
        {done}
        {published && (
          <>
            {" "}
            <Link href={`/posts/${encodeURIComponent(draft.id)}`}>{draft.title}</Link>
          </>
        )}
      </p>
      {draft && !published && <HandOver key={draft.id} slug={slug} draft={draft} />}
    </section>
  );
}
