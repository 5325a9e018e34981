import type { ComponentChildren } from "preact";

import { useI18n } from "../i18n";

/** What a page shows while its query runs, or when it failed. */
export function Status({ loading, error, children }: { loading: boolean; error: Error | undefined; children?: ComponentChildren }) {
  const { t } = useI18n();
  if (error) return <p role="alert">{t("app.error", { message: error.message })}</p>;
  if (loading) return <p aria-busy="true">{t("app.loading")}</p>;
  return <>{children}</>;
}
