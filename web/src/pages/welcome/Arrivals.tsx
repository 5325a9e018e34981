import { useEffect, useRef, useState } from "preact/hooks";

import { liveClient } from "../../api/live";
import { graphql } from "../../gql";
import type { LiveWelcomeFragment } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";

graphql(`
  fragment LiveWelcome on Welcome {
    cursor
    member {
      username
      displayName
    }
    introduction {
      id
    }
  }
`);

const WELCOMES = graphql(`
  subscription LiveWelcomes($slug: String!, $after: String) {
    welcomes(communitySlug: $slug, after: $after) {
      ...LiveWelcome
    }
  }
`);

const SHOWN = 5; // the newest arrivals; older ones have had their hellos

/**
 * Newcomers as they join, newest first. graphql-ws sends the same payload again on every retry, and
 * its `after` is kept at the last welcome's cursor, so a reconnect replays what was missed, once.
 */
function useArrivals(slug: string, viewerName: string | undefined): LiveWelcomeFragment[] {
  const [arrivals, setArrivals] = useState<LiveWelcomeFragment[]>([]);
  // Read when a welcome arrives: the session loading meanwhile must not restart the subscription.
  const viewer = useRef(viewerName);
  viewer.current = viewerName;
  useEffect(() => {
    const variables: { slug: string; after: string | null } = { slug, after: null };
    return liveClient().subscribe<{ welcomes: LiveWelcomeFragment }>(
      { query: WELCOMES.toString(), variables },
      {
        next: ({ data }) => {
          if (!data) return;
          const welcome = data.welcomes;
          variables.after = welcome.cursor;
          if (welcome.member.username === viewer.current) return; // one's own welcome is shown apart
          setArrivals((known) =>
            known.some(({ cursor }) => cursor === welcome.cursor) ? known : [welcome, ...known].slice(0, SHOWN),
          );
        },
        error: (error) => console.error("welcomes ended", error),
        complete: () => undefined,
      },
    );
  }, [slug]);
  return arrivals;
}

/** Newcomers arriving live, each with a link to greet them under their introduction. */
export function Arrivals({ slug, viewerName }: { slug: string; viewerName: string | undefined }) {
  const { t } = useI18n();
  const arrivals = useArrivals(slug, viewerName);
  const latest = arrivals[0];
  return (
    <>
      <p class="visually-hidden" aria-live="polite">
        {latest && t("welcome.announce", { name: latest.member.displayName })}
      </p>
      {arrivals.length > 0 && (
        <section aria-labelledby="arrivals-title" class="card arrivals">
          <h2 id="arrivals-title">{t("welcome.arrivals")}</h2>
          <ul>
            {arrivals.map(({ cursor, member, introduction }) => (
              <li key={cursor}>
                {t("welcome.arrived", { name: member.displayName })}{" "}
                {introduction ? (
                  <Link href={`/posts/${encodeURIComponent(introduction.id)}`}>
                    {t("welcome.greet", { name: member.displayName })}
                  </Link>
                ) : (
                  <Link href={`/members/${encodeURIComponent(member.username)}`}>
                    {t("welcome.greet", { name: member.displayName })}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
