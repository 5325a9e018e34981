import { useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { graphql } from "../../gql";
import type { PostCommentFragment } from "../../gql/graphql";
import { useI18n } from "../../i18n";

const ADD_COMMENT = graphql(`
  mutation AddComment($input: AddCommentInput!) {
    addComment(input: $input) {
      ...PostComment
    }
  }
`);

type Props = {
  postId: string;
  /** The comment answered, for a reply. */
  parent?: { id: string; authorName: string };
  onAdded: (comment: PostCommentFragment) => void;
  onCancel?: () => void;
};

/** A comment on the post, or a reply to one of its comments; the server's refusal shows beside the field. */
export function CommentForm({ postId, parent, onAdded, onCancel }: Props) {
  const { t } = useI18n();
  const [body, setBody] = useState("");
  const [problem, setProblem] = useState<string>();
  const [sending, setSending] = useState(false);
  const id = `comment-${parent?.id ?? "post"}`;

  const send = async (event: SubmitEvent) => {
    event.preventDefault();
    setSending(true);
    try {
      const { addComment } = await request(ADD_COMMENT, { input: { postId, body, parentId: parent?.id ?? null } });
      setBody("");
      setProblem(undefined);
      onAdded(addComment);
    } catch (caught) {
      setProblem(caught instanceof RequestError ? caught.message : String(caught));
    } finally {
      setSending(false);
    }
  };

  return (
    <form class="comment-form" onSubmit={send} noValidate>
      <div class="field">
        <label for={id}>{parent ? t("post.replyTo", { name: parent.authorName }) : t("post.comment")}</label>
        <textarea
          id={id}
          name="body"
          rows={3}
          required
          value={body}
          onInput={(event) => setBody(event.currentTarget.value)}
          aria-invalid={!!problem}
          aria-describedby={problem ? `${id}-problem` : undefined}
        />
        {problem && (
          <p id={`${id}-problem`} class="problem" role="alert">
            {problem}
          </p>
        )}
      </div>
      <button type="submit" disabled={sending}>
        {t("post.send")}
      </button>
      {onCancel && (
        <button type="button" class="secondary" onClick={onCancel}>
          {t("post.cancel")}
        </button>
      )}
    </form>
  );
}
