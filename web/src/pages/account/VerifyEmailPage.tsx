import { useEffect, useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../i18n/en";
import { Link } from "../../router";
import { useSession } from "../../session";
import { tokenInAddress } from "./leaving";

const VERIFY_EMAIL = graphql(`
  mutation VerifyEmail($token: String!) {
    verifyEmail(token: $token) {
      id
      email
    }
  }
`);

const STILL_VERIFIED = graphql(`
  query StillVerified {
    me {
      id
      emailVerified
      pendingEmail
    }
  }
`);

// Messages by key, so that they follow a change of language.
type Outcome =
  | { state: "working" }
  | { state: "done"; email: string | null }
  | { state: "failed"; problem: MessageKey }
  | { state: "broken"; message: string };

/**
 * `/verify-email?token=`: verifies as the page opens. Only this app's script acts on the link, never a GET
 * of it; and should a mail scanner that runs scripts have spent the token first, the member's address is
 * verified all the same, which the page then says to a signed-in member instead of an error.
 */
export function VerifyEmailPage() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [outcome, setOutcome] = useState<Outcome>({ state: "working" });
  useEffect(() => {
    const token = tokenInAddress();
    if (!token) {
      setOutcome({ state: "failed", problem: "verify.noToken" });
      return;
    }
    const verify = async (): Promise<Outcome> => {
      try {
        const { verifyEmail } = await request(VERIFY_EMAIL, { token });
        await refresh();
        return { state: "done", email: verifyEmail.email ?? null };
      } catch (caught) {
        if (!(caught instanceof RequestError && caught.field === "token")) throw caught;
        const { me } = await request(STILL_VERIFIED).catch(() => ({ me: null }));
        if (me?.emailVerified && !me.pendingEmail) return { state: "done", email: null };
        return { state: "failed", problem: "verify.badToken" };
      }
    };
    verify().then(setOutcome, (caught: Error) => setOutcome({ state: "broken", message: caught.message }));
    // Once per page: the token is single-use.
  }, []);
  return (
    <section class="narrow">
      <h1>{t("verify.title")}</h1>
      {outcome.state === "working" && <p aria-busy="true">{t("verify.working")}</p>}
      {outcome.state === "done" && (
        <>
          <p role="status">{outcome.email ? t("verify.done", { email: outcome.email }) : t("verify.doneNoEmail")}</p>
          <p>
            <Link href="/">{t("verify.home")}</Link>
          </p>
        </>
      )}
      {(outcome.state === "failed" || outcome.state === "broken") && (
        <>
          <p role="alert">
            {outcome.state === "failed" ? t(outcome.problem) : t("app.error", { message: outcome.message })}
          </p>
          <p>
            <Link href="/settings">{t("verify.askAgain")}</Link>
          </p>
        </>
      )}
    </section>
  );
}
