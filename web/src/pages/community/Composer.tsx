import { useEffect, useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { graphql } from "../../gql";
import type { PostKind, Role } from "../../gql/graphql";
import { useI18n } from "../../i18n";

const PREVIEW = graphql(`
  query PreviewMarkdown($body: String!) {
    previewMarkdown(body: $body)
  }
`);

const CREATE_POST = graphql(`
  mutation CreatePost($input: CreatePostInput!) {
    createPost(input: $input) {
      id
      status
    }
  }
`);

// Long enough for a typist's pause, short enough to feel live.
const PREVIEW_DELAY_MS = 400;
const MODERATING_ROLES = new Set<Role>(["OWNER", "MANAGER", "MODERATOR"]);

/** The kinds a member may write: INTRODUCTION and DIGEST are Cercle's own, announcements the moderators'. */
function choosableKinds(role: Role): PostKind[] {
  const kinds: PostKind[] = ["DISCUSSION", "QUESTION"];
  return MODERATING_ROLES.has(role) ? [...kinds, "ANNOUNCEMENT"] : kinds;
}

/** The server's rendering of `body`, asked for once the typing pauses; an answer to older text is dropped. */
function usePreview(body: string) {
  const [html, setHtml] = useState("");
  const [error, setError] = useState<RequestError>();
  useEffect(() => {
    if (!body.trim()) {
      setHtml("");
      setError(undefined);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      request(PREVIEW, { body })
        .then((data) => current && (setHtml(data.previewMarkdown), setError(undefined)))
        .catch((caught: unknown) => current && caught instanceof RequestError && setError(caught));
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [body]);
  return { html, error };
}

type Problems = Record<string, string>; // by the input's field name; "" for the form as a whole
const FIELDS = ["title", "body", "kind", "tags", "publishAt"]; // as createPost names them in `extensions.field`

export function Composer({ slug, role }: { slug: string; role: Role }) {
  const { t } = useI18n();
  const [body, setBody] = useState("");
  const [problems, setProblems] = useState<Problems>({});
  const [done, setDone] = useState<string>();
  const [sending, setSending] = useState(false);
  const preview = usePreview(body);
  const bodyProblem = problems.body ?? preview.error?.message;

  const publish = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const publishAt = String(fields.get("publishAt") ?? "");
    const tags = String(fields.get("tags") ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean);
    setSending(true);
    setDone(undefined);
    try {
      const { createPost } = await request(CREATE_POST, {
        input: {
          communitySlug: slug,
          title: String(fields.get("title")),
          body,
          kind: String(fields.get("kind")) as PostKind,
          tags,
          publishAt: publishAt ? new Date(publishAt).toISOString() : null,
        },
      });
      form.reset();
      setBody("");
      setProblems({});
      setDone(createPost.status === "SCHEDULED" ? t("composer.scheduled") : t("composer.published"));
    } catch (caught) {
      const error = caught instanceof RequestError ? caught : new RequestError([{ message: String(caught) }]);
      const field = FIELDS.includes(error.field ?? "") ? (error.field as string) : "";
      setProblems({ [field]: error.message });
    } finally {
      setSending(false);
    }
  };

  const described = (name: string, hint?: boolean) =>
    [hint && `compose-${name}-hint`, problems[name] && `compose-${name}-problem`].filter(Boolean).join(" ") ||
    undefined;
  const problem = (name: string, text = problems[name]) =>
    text && (
      <p id={`compose-${name || "form"}-problem`} class="problem" role="alert">
        {text}
      </p>
    );

  return (
    <section aria-labelledby="compose" class="card">
      <h2 id="compose">{t("composer.title")}</h2>
      <form onSubmit={publish} noValidate>
        <div class="field">
          <label for="compose-postTitle">{t("composer.postTitle")}</label>
          <input
            id="compose-postTitle"
            name="title"
            required
            maxLength={200}
            aria-invalid={!!problems.title}
            aria-describedby={described("title")}
          />
          {problem("title")}
        </div>
        <div class="field">
          <label for="compose-body">{t("composer.body")}</label>
          <textarea
            id="compose-body"
            name="body"
            rows={6}
            required
            value={body}
            onInput={(event) => setBody(event.currentTarget.value)}
            aria-invalid={!!bodyProblem}
            aria-describedby={bodyProblem ? "compose-body-problem" : "compose-body-hint"}
          />
          <small id="compose-body-hint">{t("composer.bodyHint")}</small>
          {problem("body", bodyProblem)}
        </div>
        <section aria-labelledby="compose-preview" class="preview">
          <h3 id="compose-preview">{t("composer.preview")}</h3>
          {preview.html ? (
            // Rendered and sanitised by Cercle, exactly as the post's bodyHtml will be.
            <div class="prose" data-testid="preview" dangerouslySetInnerHTML={{ __html: preview.html }} />
          ) : (
            <p class="muted">{t("composer.previewEmpty")}</p>
          )}
        </section>
        <div class="field">
          <label for="compose-kind">{t("composer.kind")}</label>
          <select id="compose-kind" name="kind" aria-describedby={described("kind")}>
            {choosableKinds(role).map((kind) => (
              <option key={kind} value={kind}>
                {t(`kind.${kind}`)}
              </option>
            ))}
          </select>
          {problem("kind")}
        </div>
        <div class="field">
          <label for="compose-tags">{t("composer.tags")}</label>
          <input
            id="compose-tags"
            name="tags"
            aria-invalid={!!problems.tags}
            aria-describedby={described("tags", true)}
          />
          <small id="compose-tags-hint">{t("composer.tagsHint")}</small>
          {problem("tags")}
        </div>
        <div class="field">
          <label for="compose-publishAt">{t("composer.publishAt")}</label>
          <input
            id="compose-publishAt"
            name="publishAt"
            type="datetime-local"
            aria-invalid={!!problems.publishAt}
            aria-describedby={described("publishAt", true)}
          />
          <small id="compose-publishAt-hint">{t("composer.publishAtHint")}</small>
          {problem("publishAt")}
        </div>
        {problem("")}
        <button type="submit" disabled={sending}>
          {t("composer.submit")}
        </button>
        <p aria-live="polite">{done}</p>
      </form>
    </section>
  );
}
