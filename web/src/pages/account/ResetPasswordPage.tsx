import { useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { resetLive } from "../../api/live";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { Link, navigate } from "../../router";
import { useSession } from "../../session";
import { useAction } from "../manage/admin/forms";
import { tokenInAddress } from "./leaving";

const RESET_PASSWORD = graphql(`
  mutation ResetPassword($token: String!, $password: String!) {
    resetPassword(token: $token, password: $password) {
      member {
        id
      }
    }
  }
`);

/** `/reset-password?token=`: a new password, twice; Cercle then starts the app's session as at login. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [token] = useState(tokenInAddress);
  const [spent, setSpent] = useState(false);
  const resetting = useAction("reset", ["password", "repeat"]);
  const reset = (event: SubmitEvent) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    void resetting.run(async () => {
      const password = String(fields.get("password"));
      if (password !== String(fields.get("repeat"))) {
        throw new RequestError([{ message: t("settings.passwordsDiffer"), extensions: { field: "repeat" } }]);
      }
      try {
        // The answer's token is for other clients: the app's session is the cookie Cercle sets.
        await request(RESET_PASSWORD, { token: token ?? "", password });
      } catch (caught) {
        if (caught instanceof RequestError && caught.field === "token") setSpent(true);
        throw caught;
      }
      resetLive();
      await refresh();
      navigate("/");
      return "";
    });
  };
  const password = resetting.input("password", { hint: "reset-password-hint" });
  const repeat = resetting.input("repeat");
  return (
    <section class="narrow">
      <h1>{t("reset.title")}</h1>
      {!token || spent ? (
        <>
          <p role="alert">{token ? t("reset.badToken") : t("reset.noToken")}</p>
          <p>
            <Link href="/forgot-password">{t("reset.askAgain")}</Link>
          </p>
        </>
      ) : (
        <form onSubmit={reset}>
          <div class="field">
            <label for={password.id}>{t("reset.password")}</label>
            <input {...password} type="password" autocomplete="new-password" minLength={10} required />
            <small id="reset-password-hint">{t("settings.passwordHint")}</small>
            {resetting.says("password")}
          </div>
          <div class="field">
            <label for={repeat.id}>{t("reset.repeat")}</label>
            <input {...repeat} type="password" autocomplete="new-password" minLength={10} required />
            {resetting.says("repeat")}
          </div>
          {resetting.says("")}
          <button type="submit" disabled={resetting.sending}>
            {t("reset.submit")}
          </button>
        </form>
      )}
    </section>
  );
}
