import { request } from "../../api/client";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { navigate } from "../../router";
import { useSession } from "../../session";
import { useAction } from "../manage/admin/forms";
import { deviceName } from "./device";
import { leave } from "./leaving";
import type { Me } from "./SettingsPage";

const REVOKE_SESSION = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

type Session = NonNullable<Me["sessions"]>[number];

/** Where the viewer is logged in, this device first; each one can be logged out from here. */
export function Sessions({ sessions, onChanged }: { sessions: Session[]; onChanged: () => Promise<void> }) {
  const { t, date } = useI18n();
  const { refresh } = useSession();
  const revoking = useAction("sessions", ["id"]);
  const describe = (userAgent: string | null | undefined) => {
    if (!userAgent) return t("settings.unknownDevice");
    const { browser, system } = deviceName(userAgent);
    if (browser && system) return t("settings.browserOn", { browser, system });
    return browser ?? system ?? userAgent;
  };
  const ordered = [...sessions].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt),
  );
  const revoke = (session: Session) =>
    revoking.run(async () => {
      await request(REVOKE_SESSION, { id: session.id });
      if (session.current) {
        // This device's own session: the app is logged out like with the header's button.
        await leave(refresh);
        navigate("/");
        return "";
      }
      await onChanged();
      return t("settings.revoked");
    }, session.id);
  return (
    <section aria-labelledby="settings-sessions" class="card">
      <h2 id="settings-sessions">{t("settings.sessions")}</h2>
      {ordered.length === 0 ? (
        <p class="muted">{t("settings.noSessions")}</p>
      ) : (
        <ul class="admin-list" aria-labelledby="settings-sessions">
          {ordered.map((session) => {
            const device = describe(session.device);
            return (
              <li key={session.id} class="session" aria-current={session.current ? "true" : undefined}>
                <p class="admin-person">
                  <strong title={session.device ?? undefined}>{device}</strong>
                  {session.current && <span class="badge"> · {t("settings.thisDevice")}</span>}
                  <br />
                  <span class="muted">
                    {t("settings.lastSeen", { date: date(session.lastSeenAt) })} ·{" "}
                    {t("settings.since", { date: date(session.createdAt) })}
                  </span>
                </p>
                <button
                  type="button"
                  class="admin-secondary"
                  disabled={revoking.sending}
                  onClick={() => void revoke(session)}
                >
                  {session.current ? (
                    t("settings.revokeThis")
                  ) : (
                    <>
                      {t("settings.revoke")}
                      <span class="visually-hidden">
                        {" "}
                        {device}, {t("settings.lastSeen", { date: date(session.lastSeenAt) })}
                      </span>
                    </>
                  )}
                </button>
                {revoking.says("", session.id)}
                {revoking.says("id", session.id)}
              </li>
            );
          })}
        </ul>
      )}
      {revoking.note()}
    </section>
  );
}
