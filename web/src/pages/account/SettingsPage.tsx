/** `/settings`: the viewer's email preferences, sessions, password, address, data and account. */
import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { DigestFrequency, NotificationEmailMode, SettingsQuery } from "../../gql/graphql";
import { LOCALES, type Locale, useI18n } from "../../i18n";
import { Link } from "../../router";
import { useSession } from "../../session";
import { useAction } from "../manage/admin/forms";
import { DeleteAccount } from "./DeleteAccount";
import { EmailAddress, PasswordChange } from "./Credentials";
import { Sessions } from "./Sessions";

const SETTINGS = graphql(`
  query Settings {
    me {
      id
      email
      emailVerified
      pendingEmail
      emailPreferences {
        digest
        notifications
        language
      }
      sessions {
        id
        device
        createdAt
        lastSeenAt
        current
      }
    }
  }
`);

const UPDATE_PREFERENCES = graphql(`
  mutation UpdateEmailPreferences($input: EmailPreferencesInput!) {
    updateEmailPreferences(input: $input) {
      digest
      notifications
      language
    }
  }
`);

export type Me = NonNullable<SettingsQuery["me"]>;

const DIGESTS: DigestFrequency[] = ["NEVER", "DAILY", "WEEKLY"];
const NOTIFICATIONS: NotificationEmailMode[] = ["IMMEDIATE", "BUNDLED", "NEVER"];

function Preferences({ preferences }: { preferences: NonNullable<Me["emailPreferences"]> }) {
  const { t, setLocale } = useI18n();
  // Controlled: switching the app's language re-renders every option, which must keep what is chosen.
  const [chosen, setChosen] = useState(preferences);
  const [saved, setSaved] = useState(false);
  const saving = useAction("preferences", ["digest", "notifications", "language"]);
  const choose = (change: Partial<typeof chosen>) => {
    setChosen({ ...chosen, ...change });
    setSaved(false);
  };
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    setSaved(false);
    void saving.run(async () => {
      const { updateEmailPreferences: stored } = await request(UPDATE_PREFERENCES, {
        input: { digest: chosen.digest, notifications: chosen.notifications, language: chosen.language },
      });
      setChosen(stored);
      // The language chosen for the emails is the app's too, from now on.
      if (LOCALES.some(({ code }) => code === stored.language)) setLocale(stored.language as Locale);
      setSaved(true); // said in the language just chosen, so not through the note's string
      return "";
    });
  };
  const digest = saving.input("digest");
  const notifications = saving.input("notifications", { hint: "preferences-notifications-hint" });
  const language = saving.input("language");
  return (
    <section aria-labelledby="settings-preferences" class="card">
      <h2 id="settings-preferences">{t("settings.preferences")}</h2>
      <form onSubmit={save}>
        <div class="field">
          <label for={digest.id}>{t("settings.digest")}</label>
          <select
            {...digest}
            value={chosen.digest}
            onChange={(event) => choose({ digest: event.currentTarget.value as DigestFrequency })}
          >
            {DIGESTS.map((value) => (
              <option key={value} value={value}>
                {t(`settings.digest.${value}`)}
              </option>
            ))}
          </select>
          {saving.says("digest")}
        </div>
        <div class="field">
          <label for={notifications.id}>{t("settings.notifications")}</label>
          <select
            {...notifications}
            value={chosen.notifications}
            onChange={(event) => choose({ notifications: event.currentTarget.value as NotificationEmailMode })}
          >
            {NOTIFICATIONS.map((value) => (
              <option key={value} value={value}>
                {t(`settings.notifications.${value}`)}
              </option>
            ))}
          </select>
          <small id="preferences-notifications-hint">{t("settings.notificationsHint")}</small>
          {saving.says("notifications")}
        </div>
        <div class="field">
          <label for={language.id}>{t("settings.language")}</label>
          <select {...language} value={chosen.language} onChange={(event) => choose({ language: event.currentTarget.value })}>
            {LOCALES.map(({ code, name }) => (
              <option key={code} value={code} lang={code}>
                {name}
              </option>
            ))}
          </select>
          {saving.says("language")}
        </div>
        {saving.says("")}
        <button type="submit" disabled={saving.sending}>
          {t("settings.savePreferences")}
        </button>
        <p class="admin-done" aria-live="polite">
          {saved && t("settings.preferencesSaved")}
        </p>
      </form>
    </section>
  );
}

function Export() {
  const { t } = useI18n();
  return (
    <section aria-labelledby="settings-export" class="card">
      <h2 id="settings-export">{t("settings.export")}</h2>
      <p>{t("settings.exportText")}</p>
      {/* A plain link: the browser downloads the attachment with the session cookie. */}
      <a href="/me/export" download>
        {t("settings.exportLink")}
      </a>
    </section>
  );
}

function Settings() {
  const { data, loading, error, refetch } = useQuery(SETTINGS, {});
  const me = data?.me;
  return (
    <Status loading={loading && !data} error={error}>
      {me && (
        <>
          {me.emailPreferences && <Preferences preferences={me.emailPreferences} />}
          <Sessions sessions={me.sessions ?? []} onChanged={refetch} />
          <EmailAddress me={me} onChanged={refetch} />
          <PasswordChange onChanged={refetch} />
          <Export />
          <DeleteAccount />
        </>
      )}
    </Status>
  );
}

export function SettingsPage() {
  const { t } = useI18n();
  const { viewer, loading } = useSession();
  return (
    <>
      <h1>{t("settings.title")}</h1>
      {viewer ? (
        <Settings key={viewer.id} />
      ) : (
        !loading && (
          <p>
            {t("settings.logInFirst")} <Link href="/login?next=%2Fsettings">{t("settings.logIn")}</Link>
          </p>
        )
      )}
    </>
  );
}
