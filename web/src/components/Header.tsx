import { request } from "../api/client";
import { resetLive } from "../api/live";
import { graphql } from "../gql";
import { LOCALES, type Locale, useI18n } from "../i18n";
import { Link, navigate } from "../router";
import { NotificationBell } from "./NotificationBell";
import { useSession } from "../session";

const LOGOUT = graphql(`
  mutation Logout {
    logout
  }
`);

function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <label class="language">
      <span>{t("header.language")}</span>
      <select value={locale} onChange={(event) => setLocale(event.currentTarget.value as Locale)}>
        {LOCALES.map(({ code, name }) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

function Account() {
  const { t } = useI18n();
  const { viewer, loading, refresh } = useSession();
  if (loading && !viewer) return null;
  if (!viewer) {
    return (
      <>
        <Link href="/login">{t("header.login")}</Link>
        <Link href="/register">{t("header.register")}</Link>
      </>
    );
  }
  const logOut = async () => {
    try {
      await request(LOGOUT);
    } finally {
      // Whatever the answer, the page stops acting as the member it showed.
      resetLive();
      await refresh();
      navigate("/");
    }
  };
  return (
    <>
      <NotificationBell />
      <Link href={`/members/${viewer.username}`} title={t("header.signedInAs", { name: viewer.displayName })}>
        {viewer.displayName}
      </Link>
      <Link href="/settings">{t("settings.link")}</Link>
      <button type="button" onClick={logOut}>
        {t("header.logout")}
      </button>
    </>
  );
}

export function Header() {
  const { t } = useI18n();
  return (
    <header class="site-header">
      <a class="skip" href="#main">
        {t("app.skipToContent")}
      </a>
      <nav aria-label={t("header.primary")}>
        <Link class="brand" href="/">
          {t("app.name")}
        </Link>
        <Link href="/">{t("home.title")}</Link>
      </nav>
      <div class="account">
        <Account />
        <LanguageSwitch />
      </div>
    </header>
  );
}
