import { useEffect, useState } from "preact/hooks";

import { request } from "../../api/client";
import { useRereadOnActivity } from "../../api/live";
import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { EventPageQuery, RsvpStatus } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { answerKey, seatsText } from "./EventsPage";
import { problemsOf } from "./Field";
import { isManaging } from "../../roles";

const EVENT_PAGE = graphql(`
  query EventPage($id: ID!) {
    node(id: $id) {
      __typename
      ... on Event {
        ...EventSummary
        description
        maybeCount
        community {
          slug
          name
          viewerMembership {
            id
            role
            status
          }
        }
        viewerRsvp {
          id
          status
          waitlisted
          waitlistPosition
          checkedInAt
        }
        going: rsvps(status: GOING, first: 100) {
          edges {
            node {
              id
              waitlisted
              waitlistPosition
              checkedInAt
              member {
                username
                displayName
              }
            }
          }
        }
      }
    }
  }
`);

const RSVP = graphql(`
  mutation AnswerEvent($eventId: ID!, $status: RsvpStatus!) {
    rsvp(eventId: $eventId, status: $status) {
      id
    }
  }
`);

const CHECK_IN = graphql(`
  mutation CheckIn($eventId: ID!, $username: String) {
    checkIn(eventId: $eventId, username: $username) {
      id
      checkedInAt
    }
  }
`);

type Event = Extract<NonNullable<EventPageQuery["node"]>, { __typename: "Event" }>;
type Attendee = Event["going"]["edges"][number]["node"];

const ANSWERS: { status: RsvpStatus; label: "events.answerGoing" | "events.answerMaybe" | "events.answerDecline" }[] = [
  { status: "GOING", label: "events.answerGoing" },
  { status: "MAYBE", label: "events.answerMaybe" },
  { status: "DECLINED", label: "events.answerDecline" },
];
// As the API opens check-in: members from 30 minutes before the start, managers until a day after the end.
const CHECK_IN_OPENS_MS = 30 * 60 * 1000;
const LATE_CHECK_IN_MS = 24 * 60 * 60 * 1000;

/** The current time, renewed when it crosses one of `moments` (ms), so the page changes phase by itself. */
function useNow(moments: number[]): number {
  const [now, setNow] = useState(Date.now);
  const next = moments.filter((moment) => moment > now).sort((a, b) => a - b)[0];
  useEffect(() => {
    // Browsers cap timers at about 24.8 days; a later moment is reached by the next render anyway.
    if (next === undefined || next - now > 2 ** 31 - 1) return undefined;
    const timer = setTimeout(() => setNow(Date.now()), next - now + 50);
    return () => clearTimeout(timer);
  }, [next, now]);
  return now;
}

function Answer({ event, onDone }: { event: Event; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string>();
  const [sending, setSending] = useState(false);
  const answer = async (status: RsvpStatus) => {
    setSending(true);
    try {
      await request(RSVP, { eventId: event.id, status });
      setProblem(undefined);
      await onDone();
    } catch (caught) {
      setProblem(Object.values(problemsOf(caught, []))[0]);
    } finally {
      setSending(false);
    }
  };
  return (
    <div class="rsvp" role="group" aria-labelledby="rsvp-label">
      <p id="rsvp-label">{t("events.yourAnswer")}</p>
      {ANSWERS.map(({ status, label }) => (
        <button
          key={status}
          type="button"
          class="choice"
          aria-pressed={event.viewerRsvp?.status === status}
          disabled={sending}
          onClick={() => void answer(status)}
        >
          {t(label)}
        </button>
      ))}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function ViewerState({ event }: { event: Event }) {
  const { t, date } = useI18n();
  const answer = event.viewerRsvp;
  let text: string = t("events.noAnswer");
  if (answer?.checkedInAt) text = t("events.checkedInAt", { time: date(answer.checkedInAt) });
  else if (answer?.waitlisted) text = t("events.waitlistPosition", { position: answer.waitlistPosition ?? "?" });
  else if (answer) text = t(answerKey(answer.status, false));
  // Live: a seat given up by someone else reaches the member waiting for it here.
  return (
    <p class="viewer-state" aria-live="polite" data-testid="viewer-state">
      {text}
    </p>
  );
}

type CheckInProps = { event: Event; username: string | null; name?: string; onDone: () => Promise<void> };

function CheckInButton({ event, username, name, onDone }: CheckInProps) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string>();
  const checkIn = async () => {
    try {
      await request(CHECK_IN, { eventId: event.id, username });
      await onDone();
    } catch (caught) {
      setProblem(Object.values(problemsOf(caught, []))[0]);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void checkIn()}>
        {name ? t("events.checkInOther", { name }) : t("events.checkIn")}
      </button>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}

function Attendees({ event, canCheckIn, onDone }: { event: Event; canCheckIn: boolean; onDone: () => Promise<void> }) {
  const { t, plural } = useI18n();
  const answers = event.going.edges.map(({ node }) => node);
  const seated = answers.filter(({ waitlisted }) => !waitlisted);
  const waiting = answers
    .filter(({ waitlisted }) => waitlisted)
    .sort((a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0));
  const person = ({ member }: Attendee) => <Link href={`/members/${member.username}`}>{member.displayName}</Link>;
  return (
    <>
      <section aria-labelledby="going">
        <h2 id="going">{plural("events.going", event.goingCount)}</h2>
        {seated.length === 0 && <p>{t("events.nobodyYet")}</p>}
        <ul class="people">
          {seated.map((attendee) => (
            <li key={attendee.id}>
              {person(attendee)}
              {attendee.checkedInAt && <span class="badge"> {t("events.here")}</span>}
              {canCheckIn && !attendee.checkedInAt && (
                <CheckInButton
                  event={event}
                  username={attendee.member.username}
                  name={attendee.member.displayName}
                  onDone={onDone}
                />
              )}
            </li>
          ))}
        </ul>
      </section>
      {waiting.length > 0 && (
        <section aria-labelledby="waitlist">
          <h2 id="waitlist">{plural("events.waiting", event.waitlistCount)}</h2>
          <ol class="people">
            {waiting.map((attendee) => (
              <li key={attendee.id}>{person(attendee)}</li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}

function Participation({ event }: { event: Event }) {
  const { t, number } = useI18n();
  const rate = event.goingCount > 0 ? Math.round((100 * event.checkedInCount) / event.goingCount) : null;
  return (
    <section aria-labelledby="participation" class="card">
      <h2 id="participation">{t("events.participation")}</h2>
      <dl class="figures">
        <dt>{t("events.figureCheckedIn")}</dt>
        <dd>{number(event.checkedInCount)}</dd>
        <dt>{t("events.figureGoing")}</dt>
        <dd>{number(event.goingCount)}</dd>
        <dt>{t("events.figureMaybe")}</dt>
        <dd>{number(event.maybeCount)}</dd>
        {rate !== null && (
          <>
            <dt>{t("events.figureRate")}</dt>
            <dd>{t("events.percent", { value: number(rate) })}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

export function EventPage({ id }: { id: string }) {
  const { t, plural, date } = useI18n();
  const { data, error, loading, refetch } = useQuery(EVENT_PAGE, { id });
  const event = data?.node?.__typename === "Event" ? data.node : undefined;
  // Answers and check-ins by others (a seat given up, a promotion) come through the community's activity.
  useRereadOnActivity(event?.community.slug ?? null, ["RSVP", "CHECKED_IN"], refetch, ({ subjectId }) => subjectId === id);
  const starts = event ? Date.parse(event.startsAt) : 0;
  const ends = event ? Date.parse(event.endsAt) : 0;
  const now = useNow([starts - CHECK_IN_OPENS_MS, ends, ends + LATE_CHECK_IN_MS]);
  if (data && !event) return <p role="alert">{t("events.notFound")}</p>;
  if (!event) return <Status loading={loading} error={error} />;

  const membership = event.community.viewerMembership;
  const active = membership?.status === "ACTIVE";
  const manager = isManaging(membership);
  const over = now > ends;
  const selfCheckIn = active && now >= starts - CHECK_IN_OPENS_MS && !over;
  const lateCheckIn = manager && now >= starts - CHECK_IN_OPENS_MS && now <= ends + LATE_CHECK_IN_MS;
  const refresh = () => refetch();
  return (
    <article>
      <p>
        <Link href={`/c/${event.community.slug}/events`}>
          {t("events.inCommunity", { name: event.community.name })}
        </Link>
      </p>
      <h1>{event.title}</h1>
      <dl class="figures">
        <dt>{t("events.when")}</dt>
        <dd>
          <time dateTime={event.startsAt}>{date(event.startsAt)}</time> –{" "}
          <time dateTime={event.endsAt}>{date(event.endsAt)}</time>
        </dd>
        {event.place && (
          <>
            <dt>{t("events.place")}</dt>
            <dd>{event.place}</dd>
          </>
        )}
        {event.link && (
          <>
            <dt>{t("events.link")}</dt>
            <dd>
              <a href={event.link} rel="noopener noreferrer">
                {event.link}
              </a>
            </dd>
          </>
        )}
        <dt>{t("events.capacity")}</dt>
        <dd>
          {event.capacity === null
            ? t("events.noLimit")
            : `${plural("events.seats", event.capacity)} · ${seatsText(t, plural, event)}`}
        </dd>
      </dl>
      {event.description && <p class="description">{event.description}</p>}
      {over && <Participation event={event} />}
      {active && (
        <section aria-labelledby="attending" class="card">
          <h2 id="attending">{t("events.you")}</h2>
          <ViewerState event={event} />
          {!over && <Answer event={event} onDone={refresh} />}
          {selfCheckIn && !event.viewerRsvp?.checkedInAt && (
            <CheckInButton event={event} username={null} onDone={refresh} />
          )}
          {!over && !selfCheckIn && <p class="muted">{t("events.checkInLater")}</p>}
        </section>
      )}
      {!active && !over && <p class="muted">{t("events.membersOnly")}</p>}
      <Attendees event={event} canCheckIn={lateCheckIn} onDone={refresh} />
    </article>
  );
}
