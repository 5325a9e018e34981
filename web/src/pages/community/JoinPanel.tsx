import { useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { graphql } from "../../gql";
import type { JoinCommunityMutation, JoinPolicy, MembershipStatus } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { useSession } from "../../session";

const JOIN = graphql(`
  mutation JoinCommunity($slug: String!, $inviteCode: String) {
    joinCommunity(slug: $slug, inviteCode: $inviteCode) {
      id
      role
      status
    }
  }
`);

export type JoinedMembership = JoinCommunityMutation["joinCommunity"];

/** The invitation code of a `/c/<slug>?invite=<code>` link. */
export function invitationInAddress(): string {
  return new URLSearchParams(location.search).get("invite") ?? "";
}

type Props = {
  slug: string;
  policy: JoinPolicy | null; // null: a community hidden from the viewer, reached by an invitation link
  status: MembershipStatus | null;
  onJoined: (membership: JoinedMembership) => void;
};

/** How a viewer who is not an active member gets in: join, enter an invitation code, or ask. */
export function JoinPanel({ slug, policy, status, onJoined }: Props) {
  const { t } = useI18n();
  const { viewer } = useSession();
  const [code, setCode] = useState(invitationInAddress);
  const [problem, setProblem] = useState<{ field: string; message: string }>();
  const [sending, setSending] = useState(false);

  if (status === "PENDING") return <p role="status">{t("join.pending")}</p>;
  if (status === "BANNED") return <p role="status">{t("join.banned")}</p>;
  if (!viewer) {
    const back = encodeURIComponent(location.pathname + location.search);
    return (
      <p>
        <Link href={`/login?next=${back}`}>{t("join.logInFirst")}</Link>
      </p>
    );
  }

  const withCode = policy !== "OPEN" && (policy !== "APPROVAL" || code !== "");
  const join = async (event: SubmitEvent) => {
    event.preventDefault();
    setSending(true);
    try {
      const { joinCommunity } = await request(JOIN, { slug, inviteCode: code.trim() || null });
      setProblem(undefined);
      onJoined(joinCommunity);
    } catch (caught) {
      const error = caught instanceof RequestError ? caught : new RequestError([{ message: String(caught) }]);
      setProblem({ field: error.field === "inviteCode" ? "inviteCode" : "", message: error.message });
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="join" class="card">
      <h2 id="join">{t("join.title")}</h2>
      <form onSubmit={join}>
        {policy !== "OPEN" && (
          <div class="field">
            <label for="join-code">{t("join.code")}</label>
            <input
              id="join-code"
              name="inviteCode"
              value={code}
              onInput={(event) => setCode(event.currentTarget.value)}
              required={policy !== "APPROVAL"}
              aria-invalid={problem?.field === "inviteCode"}
              aria-describedby={problem?.field === "inviteCode" ? "join-code-problem" : "join-code-hint"}
            />
            <small id="join-code-hint">
              {policy === "APPROVAL" ? t("join.codeOptional") : t("join.codeNeeded")}
            </small>
            {problem?.field === "inviteCode" && (
              <p id="join-code-problem" class="problem" role="alert">
                {problem.message}
              </p>
            )}
          </div>
        )}
        {problem?.field === "" && (
          <p class="problem" role="alert">
            {problem.message}
          </p>
        )}
        <button type="submit" disabled={sending}>
          {withCode ? t("join.withCode") : policy === "APPROVAL" ? t("join.ask") : t("join.join")}
        </button>
      </form>
    </section>
  );
}
