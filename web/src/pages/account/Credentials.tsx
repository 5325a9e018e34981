/** The viewer's password and email address, each changed with the current password. */
import { RequestError, request } from "../../api/client";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { useAction } from "../manage/admin/forms";
import type { Me } from "./SettingsPage";

const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

const CHANGE_EMAIL = graphql(`
  mutation ChangeEmail($email: String!, $password: String!) {
    changeEmail(email: $email, password: $password)
  }
`);

const RESEND = graphql(`
  mutation RequestEmailVerification {
    requestEmailVerification
  }
`);

export function PasswordChange({ onChanged }: { onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const changing = useAction("password", ["currentPassword", "newPassword", "repeat"]);
  const change = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    void changing.run(async () => {
      const newPassword = String(fields.get("newPassword"));
      if (newPassword !== String(fields.get("repeat"))) {
        throw new RequestError([{ message: t("settings.passwordsDiffer"), extensions: { field: "repeat" } }]);
      }
      // A wrong current password is refused on its field (BAD_USER_INPUT), said beside it.
      await request(CHANGE_PASSWORD, { currentPassword: String(fields.get("currentPassword")), newPassword });
      form.reset();
      await onChanged(); // the other sessions are gone
      return t("settings.passwordChanged");
    });
  };
  const current = changing.input("currentPassword");
  const fresh = changing.input("newPassword", { hint: "password-newPassword-hint" });
  const repeat = changing.input("repeat");
  return (
    <section aria-labelledby="settings-password" class="card">
      <h2 id="settings-password">{t("settings.password")}</h2>
      <form onSubmit={change}>
        <div class="field">
          <label for={current.id}>{t("settings.currentPassword")}</label>
          <input {...current} type="password" autocomplete="current-password" required />
          {changing.says("currentPassword")}
        </div>
        <div class="field">
          <label for={fresh.id}>{t("settings.newPassword")}</label>
          <input {...fresh} type="password" autocomplete="new-password" minLength={10} required />
          <small id="password-newPassword-hint">{t("settings.passwordHint")}</small>
          {changing.says("newPassword")}
        </div>
        <div class="field">
          <label for={repeat.id}>{t("settings.repeatPassword")}</label>
          <input {...repeat} type="password" autocomplete="new-password" minLength={10} required />
          {changing.says("repeat")}
        </div>
        {changing.says("")}
        <button type="submit" disabled={changing.sending}>
          {t("settings.changePassword")}
        </button>
        {changing.note()}
      </form>
    </section>
  );
}

export function EmailAddress({ me, onChanged }: { me: Me; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const changing = useAction("email", ["email", "password"]);
  const resending = useAction("resend", []);
  const change = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    void changing.run(async () => {
      const email = String(fields.get("email")).trim();
      await request(CHANGE_EMAIL, { email, password: String(fields.get("password")) });
      form.reset();
      await onChanged();
      return t("settings.emailChangeSent", { email });
    });
  };
  const resend = () =>
    resending.run(async () => {
      const { requestEmailVerification: sent } = await request(RESEND);
      return sent ? t("settings.resent") : t("settings.nothingToResend");
    });
  const email = changing.input("email");
  const password = changing.input("password");
  // A link waits to be followed: at the new address if one is pending, else at the unverified current one.
  const awaiting = !!me.pendingEmail || me.emailVerified === false;
  return (
    <section aria-labelledby="settings-email" class="card">
      <h2 id="settings-email">{t("settings.email")}</h2>
      {me.email && (
        <p>
          {t("settings.currentEmail", { email: me.email })} (
          {me.emailVerified ? t("settings.verified") : t("settings.unverified")})
        </p>
      )}
      {me.pendingEmail && <p class="pending-email">{t("settings.pendingEmail", { email: me.pendingEmail })}</p>}
      {awaiting && (
        <p>
          <button type="button" class="admin-secondary" disabled={resending.sending} onClick={() => void resend()}>
            {t("settings.resend")}
          </button>
          {resending.says("")}
          {resending.note()}
        </p>
      )}
      <form onSubmit={change}>
        <div class="field">
          <label for={email.id}>{t("settings.newEmail")}</label>
          <input {...email} type="email" autocomplete="email" required />
          {changing.says("email")}
        </div>
        <div class="field">
          <label for={password.id}>{t("settings.emailPassword")}</label>
          <input {...password} type="password" autocomplete="current-password" required />
          {changing.says("password")}
        </div>
        {changing.says("")}
        <button type="submit" disabled={changing.sending}>
          {t("settings.changeEmail")}
        </button>
        {changing.note()}
      </form>
    </section>
  );
}
