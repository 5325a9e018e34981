/** Today's figures as they change: `engagementPulse` sends the day's report at once, then on every change. */
import { useEffect, useRef, useState } from "preact/hooks";

import { liveClient } from "../../api/live";
import { graphql } from "../../gql";
import type { EngagementPulseSubscription } from "../../gql/graphql";
import { useI18n } from "../../i18n";

const PULSE = graphql(`
  subscription EngagementPulse($slug: String!) {
    engagementPulse(communitySlug: $slug) {
      until
      activeMembers
      posts
      comments
      reactions
      kudos
      healthScore
    }
  }
`);

type Pulse = EngagementPulseSubscription["engagementPulse"];
const FIGURES = ["posts", "comments", "reactions", "kudos", "activeMembers"] as const;

/**
 * Follows the pulse while shown; graphql-ws subscribes again after a dropped network, and the pulse
 * then starts with the whole report, so nothing needs resuming. `onBeat` hears every report after the first.
 */
function usePulse(slug: string, onBeat: () => void): { pulse: Pulse | undefined; failure: string | undefined } {
  const [pulse, setPulse] = useState<Pulse>();
  const [failure, setFailure] = useState<string>();
  const heard = useRef(onBeat);
  heard.current = onBeat; // the latest handler, without subscribing again
  useEffect(() => {
    let beats = 0;
    return liveClient().subscribe<EngagementPulseSubscription>(
      { query: PULSE.toString(), variables: { slug } },
      {
        next: ({ data, errors }) => {
          if (errors?.length) setFailure(errors.map(({ message }) => message).join("; "));
          if (!data) return;
          setPulse(data.engagementPulse);
          if (beats++ > 0) heard.current();
        },
        error: (error) => setFailure(Array.isArray(error) ? error.map(String).join("; ") : String(error)),
        complete: () => undefined,
      },
    );
  }, [slug]);
  return { pulse, failure };
}

export function PulsePanel({ slug, onBeat }: { slug: string; onBeat: () => void }) {
  const { t, number, locale } = useI18n();
  const { pulse, failure } = usePulse(slug, onBeat);
  const time = pulse && new Intl.DateTimeFormat(locale, { timeStyle: "medium" }).format(new Date(pulse.until));
  return (
    <section aria-labelledby="pulse" class="card">
      <h2 id="pulse">{t("manage.pulse")}</h2>
      {failure && <p role="alert">{t("app.error", { message: failure })}</p>}
      {!pulse && !failure && <p aria-busy="true">{t("manage.pulseWaiting")}</p>}
      {pulse && (
        <>
          <dl class="figures" data-testid="pulse">
            {FIGURES.map((figure) => (
              <div key={figure}>
                <dt>{t(`manage.${figure}`)}</dt>
                <dd data-figure={figure}>{number(pulse[figure])}</dd>
              </div>
            ))}
            <div>
              <dt>{t("manage.health")}</dt>
              <dd>{number(pulse.healthScore)}</dd>
            </div>
          </dl>
          <p class="muted">{t("manage.pulseUpdated", { time: time ?? "" })}</p>
          {/* One short sentence per change for screen readers, rather than every figure at once. */}
          <p class="visually-hidden" aria-live="polite">
            {t("manage.pulseSummary", {
              posts: number(pulse.posts),
              comments: number(pulse.comments),
              active: number(pulse.activeMembers),
              score: number(pulse.healthScore),
            })}
          </p>
        </>
      )}
    </section>
  );
}
