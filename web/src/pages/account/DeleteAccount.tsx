import { RequestError, request } from "../../api/client";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { navigate } from "../../router";
import { useSession } from "../../session";
import { useAction } from "../manage/admin/forms";
import { leave } from "./leaving";

const DELETE_ACCOUNT = graphql(`
  mutation DeleteAccount($password: String!) {
    deleteAccount(password: $password)
  }
`);

/** Deleting the account: the password and a ticked confirmation, then logged out on the home page. */
export function DeleteAccount() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const deleting = useAction("delete", ["password", "confirm"]);
  const remove = (event: SubmitEvent) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    void deleting.run(async () => {
      if (fields.get("confirm") !== "yes") {
        throw new RequestError([{ message: t("settings.deleteUnconfirmed"), extensions: { field: "confirm" } }]);
      }
      // A wrong password is refused on its field; the only owner of a community is told to hand it over first.
      await request(DELETE_ACCOUNT, { password: String(fields.get("password")) });
      await leave(refresh);
      navigate("/");
      return "";
    });
  };
  const password = deleting.input("password");
  const confirm = deleting.input("confirm");
  return (
    <section aria-labelledby="settings-delete" class="card">
      <h2 id="settings-delete">{t("settings.delete")}</h2>
      <p>{t("settings.deleteText")}</p>
      <form onSubmit={remove} noValidate>
        <div class="field">
          <label for={password.id}>{t("settings.deletePassword")}</label>
          <input {...password} type="password" autocomplete="current-password" />
          {deleting.says("password")}
        </div>
        <div class="field">
          <label class="checkbox">
            <input {...confirm} type="checkbox" value="yes" /> {t("settings.deleteConfirm")}
          </label>
          {deleting.says("confirm")}
        </div>
        {deleting.says("")}
        <button type="submit" class="admin-danger" disabled={deleting.sending}>
          {t("settings.deleteSubmit")}
        </button>
      </form>
    </section>
  );
}
