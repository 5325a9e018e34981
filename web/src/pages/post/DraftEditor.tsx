import { useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { graphql } from "../../gql";
import type { PostStatus } from "../../gql/graphql";
import { useI18n } from "../../i18n";

const UPDATE_POST = graphql(`
  mutation UpdateDraft($input: UpdatePostInput!) {
    updatePost(input: $input) {
      title
      body
      bodyHtml
      status
      publishedAt
    }
  }
`);

const PUBLISH_POST = graphql(`
  mutation PublishDraft($postId: ID!) {
    publishPost(postId: $postId) {
      title
      body
      bodyHtml
      status
      publishedAt
    }
  }
`);

export type DraftChanges = {
  title: string;
  body: string;
  bodyHtml: string;
  status: PostStatus;
  publishedAt?: string | null;
};

type Problems = Record<string, string>; // by updatePost's `extensions.field`; "" for the form as a whole

/** The author's draft, edited (title, body) and published; refusals show beside their field. */
type Props = { post: DraftChanges & { id: string }; onChanged: (changes: DraftChanges) => void };

export function DraftEditor({ post, onChanged }: Props) {
  const { t } = useI18n();
  const [problems, setProblems] = useState<Problems>({});
  const [saved, setSaved] = useState<string>();

  const run = async (action: () => Promise<DraftChanges>, done: string) => {
    try {
      onChanged(await action());
      setProblems({});
      setSaved(done);
    } catch (caught) {
      const error = caught instanceof RequestError ? caught : new RequestError([{ message: String(caught) }]);
      const field = error.field === "title" || error.field === "body" ? error.field : "";
      setProblems({ [field]: error.message });
    }
  };
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    const input = { postId: post.id, title: String(fields.get("title")), body: String(fields.get("body")) };
    return run(async () => (await request(UPDATE_POST, { input })).updatePost, t("post.saved"));
  };
  const publish = () =>
    run(async () => (await request(PUBLISH_POST, { postId: post.id })).publishPost, t("composer.published"));
  const problem = (name: string) =>
    problems[name] && (
      <p id={`draft-${name || "form"}-problem`} class="problem" role="alert">
        {problems[name]}
      </p>
    );

  return (
    <section aria-labelledby="draft" class="card">
      <h2 id="draft">{t("post.editDraft")}</h2>
      <p>{t("post.draftHint")}</p>
      <form onSubmit={save} noValidate>
        <div class="field">
          <label for="draft-title">{t("composer.postTitle")}</label>
          <input
            id="draft-title"
            name="title"
            maxLength={200}
            defaultValue={post.title}
            aria-invalid={!!problems.title}
            aria-describedby={problems.title ? "draft-title-problem" : undefined}
          />
          {problem("title")}
        </div>
        <div class="field">
          <label for="draft-body">{t("composer.body")}</label>
          <textarea
            id="draft-body"
            name="body"
            rows={6}
            defaultValue={post.body}
            aria-invalid={!!problems.body}
            aria-describedby={problems.body ? "draft-body-problem" : undefined}
          />
          {problem("body")}
        </div>
        {problem("")}
        <div class="post-actions">
          <button type="submit">{t("post.save")}</button>
          <button type="button" class="secondary" onClick={publish}>
            {t("post.publish")}
          </button>
        </div>
        <p aria-live="polite">{saved}</p>
      </form>
    </section>
  );
}
