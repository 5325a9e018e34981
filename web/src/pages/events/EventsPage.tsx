import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { useRereadOnActivity } from "../../api/live";
import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { EventSummaryFragment } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { CommunityNav } from "../community/CommunityNav";
import { Field, FormProblem, instant, type Problems, problemsOf } from "./Field";
import { isManaging } from "../../roles";

graphql(`
  fragment EventSummary on Event {
    id
    title
    startsAt
    endsAt
    place
    link
    capacity
    goingCount
    waitlistCount
    seatsLeft
    checkedInCount
    viewerRsvp {
      id
      status
      waitlisted
    }
  }
`);

const COMMUNITY_EVENTS = graphql(`
  query CommunityEvents($slug: String!) {
    community(slug: $slug) {
      id
      name
      viewerMembership {
        id
        role
        status
      }
      upcoming: events(upcoming: true, first: 50) {
        edges {
          node {
            ...EventSummary
          }
        }
      }
      past: events(upcoming: false, first: 20) {
        edges {
          node {
            ...EventSummary
          }
        }
      }
    }
  }
`);

const CREATE_EVENT = graphql(`
  mutation CreateEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      id
    }
  }
`);

const FIELDS = ["title", "description", "startsAt", "endsAt", "place", "link", "capacity"];

function EventCard({ event, over }: { event: EventSummaryFragment; over: boolean }) {
  const { t, plural, date } = useI18n();
  const answer = event.viewerRsvp;
  return (
    <li class="card event-card">
      <h3>
        <Link href={`/events/${encodeURIComponent(event.id)}`}>{event.title}</Link>
      </h3>
      <p class="post-meta">
        <time dateTime={event.startsAt}>{date(event.startsAt)}</time>
        {event.place && <> · {event.place}</>}
        {!event.place && event.link && <> · {t("events.online")}</>}
      </p>
      <p class="muted">
        {over ? plural("events.attended", event.checkedInCount) : plural("events.going", event.goingCount)}
        {!over && event.capacity !== null && <> · {seatsText(t, plural, event)}</>}
      </p>
      {answer && <p class="badge">{t(answerKey(answer.status, answer.waitlisted))}</p>}
    </li>
  );
}

type I18n = ReturnType<typeof useI18n>;

export function seatsText(t: I18n["t"], plural: I18n["plural"], event: EventSummaryFragment): string {
  if (event.seatsLeft !== 0) return plural("events.seatsLeft", event.seatsLeft ?? 0);
  if (event.waitlistCount === 0) return t("events.full");
  return `${t("events.full")} · ${plural("events.waiting", event.waitlistCount)}`;
}

export function answerKey(status: string, waitlisted: boolean) {
  if (waitlisted) return "events.youWait" as const;
  if (status === "GOING") return "events.youGo" as const;
  return status === "MAYBE" ? ("events.youMaybe" as const) : ("events.youDecline" as const);
}

function CreateEventForm({ slug, onCreated }: { slug: string; onCreated: () => void }) {
  const { t } = useI18n();
  const [problems, setProblems] = useState<Problems>({});
  const [sending, setSending] = useState(false);
  const [created, setCreated] = useState<string>();

  const create = async (submitted: SubmitEvent) => {
    submitted.preventDefault();
    const form = submitted.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const text = (name: string) => String(fields.get(name) ?? "").trim();
    setSending(true);
    setCreated(undefined);
    try {
      await request(CREATE_EVENT, {
        input: {
          communitySlug: slug,
          title: text("title"),
          description: text("description"),
          startsAt: instant(fields.get("startsAt")) ?? "",
          endsAt: instant(fields.get("endsAt")) ?? "",
          place: text("place") || null,
          link: text("link") || null,
          capacity: text("capacity") ? Number(text("capacity")) : null,
        },
      });
      setCreated(text("title"));
      setProblems({});
      form.reset();
      onCreated();
    } catch (caught) {
      setProblems(problemsOf(caught, FIELDS));
    } finally {
      setSending(false);
    }
  };

  const field = { form: "new-event", problems };
  return (
    <section aria-labelledby="new-event" class="card">
      <h2 id="new-event">{t("events.create")}</h2>
      <form onSubmit={create} noValidate>
        <Field {...field} name="title" label={t("events.title")} required maxLength={200} />
        <Field {...field} name="description" label={t("events.description")} multiline />
        <div class="field-row">
          <Field {...field} name="startsAt" label={t("events.startsAt")} type="datetime-local" required />
          <Field {...field} name="endsAt" label={t("events.endsAt")} type="datetime-local" required />
        </div>
        <Field {...field} name="place" label={t("events.place")} maxLength={300} />
        <Field {...field} name="link" label={t("events.link")} type="url" hint={t("events.linkHint")} />
        <Field
          {...field}
          name="capacity"
          label={t("events.capacity")}
          type="number"
          min={1}
          hint={t("events.capacityHint")}
        />
        <FormProblem problems={problems} />
        <button type="submit" disabled={sending}>
          {t("events.createSubmit")}
        </button>
        <p aria-live="polite">{created && t("events.created", { title: created })}</p>
      </form>
    </section>
  );
}

export function EventsPage({ slug }: { slug: string }) {
  const { t } = useI18n();
  const { data, error, loading, refetch } = useQuery(COMMUNITY_EVENTS, { slug });
  // Seats and answers change as members answer: the list follows the community's activity.
  useRereadOnActivity(slug, ["EVENT_CREATED", "RSVP", "CHECKED_IN"], refetch);
  const community = data?.community;
  if (data && !community) return <p role="alert">{t("community.notFound")}</p>;
  const membership = community?.viewerMembership;
  const manager = isManaging(membership);
  const upcoming = community?.upcoming.edges.map(({ node }) => node) ?? [];
  const past = community?.past.edges.map(({ node }) => node) ?? [];
  return (
    <Status loading={loading && !data} error={error}>
      {community && (
        <>
          <h1>{t("events.heading", { name: community.name })}</h1>
          <CommunityNav slug={slug} current="/events" />
          {manager && <CreateEventForm slug={slug} onCreated={() => void refetch()} />}
          <section aria-labelledby="upcoming">
            <h2 id="upcoming">{t("events.upcoming")}</h2>
            {upcoming.length === 0 && <p>{t("events.noneUpcoming")}</p>}
            <ul class="cards">
              {upcoming.map((event) => (
                <EventCard key={event.id} event={event} over={false} />
              ))}
            </ul>
          </section>
          <section aria-labelledby="past">
            <h2 id="past">{t("events.past")}</h2>
            {past.length === 0 && <p>{t("events.nonePast")}</p>}
            <ul class="cards">
              {past.map((event) => (
                <EventCard key={event.id} event={event} over />
              ))}
            </ul>
          </section>
        </>
      )}
    </Status>
  );
}
