import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { CommunityNav } from "../community/CommunityNav";

/** A route that is stable already (links point at it) but whose page comes in a later slice of issue 13. */
export function PendingPage({ slug, section }: { slug?: string; section?: string }) {
  const { t } = useI18n();
  return (
    <>
      {slug !== undefined && <CommunityNav slug={slug} current={section ?? ""} />}
      <h1>{t("app.comingSoon")}</h1>
      <p>
        <Link href="/">{t("app.backHome")}</Link>
      </p>
    </>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t("app.notFound")}</h1>
      <p>
        <Link href="/">{t("app.backHome")}</Link>
      </p>
    </>
  );
}
