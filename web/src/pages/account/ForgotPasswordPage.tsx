import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { useAction } from "../manage/admin/forms";

const REQUEST_RESET = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

/** `/forgot-password`: one answer whatever the address, so the page tells nobody who has an account. */
export function ForgotPasswordPage() {
  const { t } = useI18n();
  const asking = useAction("forgot", ["email"]);
  const [sent, setSent] = useState(false);
  const ask = (event: SubmitEvent) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    void asking.run(async () => {
      await request(REQUEST_RESET, { email: String(fields.get("email")).trim() });
      setSent(true);
      return "";
    });
  };
  const email = asking.input("email");
  return (
    <section class="narrow">
      <h1>{t("forgot.title")}</h1>
      {sent ? (
        <p role="status">{t("forgot.sent")}</p>
      ) : (
        <form onSubmit={ask}>
          <p>{t("forgot.text")}</p>
          <div class="field">
            <label for={email.id}>{t("forgot.email")}</label>
            <input {...email} type="email" autocomplete="email" required />
            {asking.says("email")}
          </div>
          {asking.says("")}
          <button type="submit" disabled={asking.sending}>
            {t("forgot.submit")}
          </button>
        </form>
      )}
    </section>
  );
}
