import { useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { resetLive } from "../../api/live";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { Link, navigate } from "../../router";
import { useSession } from "../../session";

const LOGIN = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      member {
        id
      }
    }
  }
`);

/** Where to go after logging in: `?next=` when it is a path of this site (never another origin). */
function localPath(next: string | null): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/";
}

export function LoginPage() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [problem, setProblem] = useState<string>();

  const logIn = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    try {
      // The answer's token is for other clients: the app's session is the cookie Cercle sets.
      await request(LOGIN, { input: { login: String(form.get("login")), password: String(form.get("password")) } });
    } catch (caught) {
      const wrong = caught instanceof RequestError && caught.code === "UNAUTHENTICATED";
      setProblem(wrong ? t("login.failed") : t("app.error", { message: (caught as Error).message }));
      return;
    }
    resetLive();
    await refresh();
    navigate(localPath(new URLSearchParams(location.search).get("next")));
  };

  return (
    <section class="narrow">
      <h1>{t("login.title")}</h1>
      <form onSubmit={logIn}>
        <label class="field">
          <span>{t("login.login")}</span>
          <input name="login" autocomplete="username" required />
        </label>
        <label class="field">
          <span>{t("login.password")}</span>
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {problem && <p role="alert">{problem}</p>}
        <button type="submit">{t("login.submit")}</button>
      </form>
      <p>
        <Link href="/forgot-password">{t("forgot.link")}</Link>
      </p>
      <p>
        {t("login.noAccount")} <Link href="/register">{t("login.registerLink")}</Link>
      </p>
    </section>
  );
}
