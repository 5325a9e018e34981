import { useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { navigate } from "../../router";

const GIVE_KUDOS = graphql(`
  mutation GiveKudos($input: GiveKudosInput!) {
    giveKudos(input: $input) {
      id
    }
  }
`);

const DELETE_POST = graphql(`
  mutation DeletePost($postId: ID!) {
    deletePost(postId: $postId)
  }
`);

type Author = { username: string; displayName: string };

/** Thanks to the post's author in public (giveKudos), with the server's refusal beside the field. */
export function KudosForm({ slug, author }: { slug: string; author: Author }) {
  const { t } = useI18n();
  const [message, setMessage] = useState("");
  const [problem, setProblem] = useState<string>();
  const [sent, setSent] = useState<string>();

  const send = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      await request(GIVE_KUDOS, { input: { communitySlug: slug, toUsername: author.username, message } });
      setMessage("");
      setProblem(undefined);
      setSent(t("post.kudosSent", { name: author.displayName }));
    } catch (caught) {
      setProblem(caught instanceof RequestError ? caught.message : String(caught));
    }
  };

  return (
    <section aria-labelledby="kudos" class="card">
      <h2 id="kudos">{t("post.kudos", { name: author.displayName })}</h2>
      <form onSubmit={send} noValidate>
        <div class="field">
          <label for="kudos-message">{t("post.kudosMessage")}</label>
          <input
            id="kudos-message"
            name="message"
            maxLength={500}
            required
            value={message}
            onInput={(event) => setMessage(event.currentTarget.value)}
            aria-invalid={!!problem}
            aria-describedby={problem ? "kudos-problem" : undefined}
          />
          {problem && (
            <p id="kudos-problem" class="problem" role="alert">
              {problem}
            </p>
          )}
        </div>
        <button type="submit">{t("post.kudosSend")}</button>
        <p aria-live="polite">{sent}</p>
      </form>
    </section>
  );
}

/** Deleting the post, in two steps; then back to its community. */
export function DeletePost({ postId, slug }: { postId: string; slug: string }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string>();
  const remove = async () => {
    try {
      await request(DELETE_POST, { postId });
      navigate(`/c/${slug}`);
    } catch (caught) {
      setProblem(caught instanceof RequestError ? caught.message : String(caught));
    }
  };
  return (
    <div class="post-actions">
      {confirming ? (
        <>
          <button type="button" class="danger" onClick={remove}>
            {t("post.confirmDelete")}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            {t("post.cancel")}
          </button>
        </>
      ) : (
        <button type="button" class="secondary" onClick={() => setConfirming(true)}>
          {t("post.deletePost")}
        </button>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
