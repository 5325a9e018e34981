import { useState } from "preact/hooks";

import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { tokenInAddress } from "./leaving";

type Outcome = "digest" | "notifications" | "failed";

/** Asks Cercle's one-click endpoint (RFC 8058) to turn the email off; the answer names what it turned off. */
async function unsubscribe(token: string): Promise<Outcome> {
  const response = await fetch(`/unsubscribe?token=${encodeURIComponent(token)}`, {
    method: "POST",
    credentials: "omit", // the token alone says whose email it is
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: "List-Unsubscribe=One-Click",
  });
  const answer = (await response.json().catch(() => null)) as { unsubscribed?: string } | null;
  const turnedOff = answer?.unsubscribed;
  return response.ok && (turnedOff === "digest" || turnedOff === "notifications") ? turnedOff : "failed";
}

/**
 * `/unsubscribe?token=`: never acts as it opens, since mail scanners open every link of a message;
 * the member's press of the button does.
 */
export function UnsubscribePage() {
  const { t } = useI18n();
  const [token] = useState(tokenInAddress);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const confirm = async () => {
    if (!token) return;
    setSending(true);
    setOutcome(await unsubscribe(token).catch((): Outcome => "failed"));
    setSending(false);
  };
  const settings = (
    <p>
      <Link href="/settings">{t("unsubscribe.settings")}</Link>
    </p>
  );
  if (!token || outcome === "failed") {
    return (
      <section class="narrow">
        <h1>{t("unsubscribe.title")}</h1>
        <p role="alert">{token ? t("unsubscribe.failed") : t("unsubscribe.noToken")}</p>
        {settings}
      </section>
    );
  }
  return (
    <section class="narrow">
      <h1>{t("unsubscribe.title")}</h1>
      {outcome ? (
        <>
          <p role="status">{t(`unsubscribe.${outcome}`)}</p>
          {settings}
        </>
      ) : (
        <>
          <p>{t("unsubscribe.text")}</p>
          <button type="button" disabled={sending} onClick={() => void confirm()}>
            {t("unsubscribe.submit")}
          </button>
        </>
      )}
    </section>
  );
}
