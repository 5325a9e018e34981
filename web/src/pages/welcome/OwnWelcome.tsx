import { useState } from "preact/hooks";

import { graphql } from "../../gql";
import type { OwnWelcomeQuery } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../i18n/en";
import { Link } from "../../router";

export const OWN_WELCOME = graphql(`
  query OwnWelcome($slug: String!) {
    community(slug: $slug) {
      id
      viewerMembership {
        id
        welcome {
          cursor
          member {
            username
            displayName
          }
          introduction {
            id
          }
          suggestedActions {
            kind
            title
            targetId
          }
        }
      }
    }
  }
`);

type Welcome = NonNullable<NonNullable<NonNullable<OwnWelcomeQuery["community"]>["viewerMembership"]>["welcome"]>;
type Action = Welcome["suggestedActions"][number];

const ACTION_LABELS: Record<string, MessageKey> = {
  ANSWER_QUESTION: "welcome.action.ANSWER_QUESTION",
  VOLUNTEER_FOR_TASK: "welcome.action.VOLUNTEER_FOR_TASK",
  JOIN_DISCUSSION: "welcome.action.JOIN_DISCUSSION",
  ATTEND_EVENT: "welcome.action.ATTEND_EVENT",
  COMPLETE_PROFILE: "welcome.action.COMPLETE_PROFILE",
};

/** Where each kind of suggested action is done in the app (API.md names the kinds). */
function actionHref(action: Action, slug: string, username: string): string {
  const target = encodeURIComponent(action.targetId ?? "");
  switch (action.kind) {
    case "ANSWER_QUESTION":
    case "JOIN_DISCUSSION":
      return `/posts/${target}`;
    case "ATTEND_EVENT":
      return `/events/${target}`;
    case "VOLUNTEER_FOR_TASK":
      return `/c/${slug}/tasks`;
    case "COMPLETE_PROFILE":
      return `/members/${encodeURIComponent(username)}`;
    default:
      return action.targetId ? `/posts/${target}` : `/c/${slug}`;
  }
}

// Hidden for good on this device once dismissed; the welcome's cursor names it.
const dismissedKey = (welcome: Welcome) => `cercle.welcome.dismissed:${welcome.cursor}`;

/** The newcomer's own welcome: their introduction and the first steps Cercle suggests, as links. */
export function OwnWelcome({ slug, welcome }: { slug: string; welcome: Welcome }) {
  const { t } = useI18n();
  const [dismissed, setDismissed] = useState(() => localStorage.getItem(dismissedKey(welcome)) !== null);
  if (dismissed) return null;
  const dismiss = () => {
    localStorage.setItem(dismissedKey(welcome), "1");
    setDismissed(true);
  };
  const { username, displayName } = welcome.member;
  return (
    <section aria-labelledby="welcome-title" class="card welcome">
      <h2 id="welcome-title">{t("welcome.title", { name: displayName })}</h2>
      <p>{t("welcome.introduced")}</p>
      {welcome.introduction && (
        <p>
          <Link href={`/posts/${encodeURIComponent(welcome.introduction.id)}`}>{t("welcome.readIntroduction")}</Link>
        </p>
      )}
      <h3>{t("welcome.firstSteps")}</h3>
      {welcome.suggestedActions.length === 0 ? (
        <p>{t("welcome.noSteps")}</p>
      ) : (
        <ul class="welcome-actions">
          {welcome.suggestedActions.map((action) => (
            <li key={`${action.kind}:${action.targetId ?? ""}`}>
              <span class="kind">{t(ACTION_LABELS[action.kind] ?? "welcome.action.OTHER")}</span>{" "}
              <Link href={actionHref(action, slug, username)}>{action.title}</Link>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={dismiss}>
        {t("welcome.dismiss")}
      </button>
    </section>
  );
}
