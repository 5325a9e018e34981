import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { useRereadOnActivity } from "../../api/live";
import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { BoardTaskFragment, TaskStatus } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { useSession } from "../../session";
import { CommunityNav } from "../community/CommunityNav";
import { problemsOf } from "../events/Field";
import { isManaging } from "../../roles";
import { AssignPanel } from "./AssignPanel";
import { CreateTaskForm } from "./CreateTaskForm";

graphql(`
  fragment BoardTask on Task {
    id
    title
    description
    requiredSkills
    dueAt
    points
    status
    assignee {
      username
      displayName
    }
    volunteers {
      username
      displayName
    }
  }
`);

const TASK_BOARD = graphql(`
  query TaskBoard($slug: String!) {
    community(slug: $slug) {
      id
      name
      viewerMembership {
        id
        role
        status
      }
      tasks(first: 100) {
        edges {
          node {
            ...BoardTask
          }
        }
      }
    }
  }
`);

const VOLUNTEER = graphql(`
  mutation VolunteerForTask($taskId: ID!) {
    volunteerForTask(taskId: $taskId) {
      id
    }
  }
`);

const COMPLETE = graphql(`
  mutation CompleteTask($taskId: ID!) {
    completeTask(taskId: $taskId) {
      id
      status
    }
  }
`);

const COLUMNS: TaskStatus[] = ["OPEN", "ASSIGNED", "IN_REVIEW", "DONE"];

type Viewer = { username: string | null; active: boolean; manager: boolean };

type TaskCardProps = { task: BoardTaskFragment; viewer: Viewer; onChange: () => Promise<void> };

function TaskCard({ task, viewer, onChange }: TaskCardProps) {
  const { t, plural, date, number } = useI18n();
  const [assigning, setAssigning] = useState(false);
  const [problem, setProblem] = useState<string>();
  const act = async (step: "volunteer" | "complete") => {
    try {
      const variables = { taskId: task.id };
      await (step === "volunteer" ? request(VOLUNTEER, variables) : request(COMPLETE, variables));
      setProblem(undefined);
      await onChange();
    } catch (caught) {
      setProblem(Object.values(problemsOf(caught, []))[0]);
    }
  };
  const offered = task.volunteers.some(({ username }) => username === viewer.username);
  const mine = task.assignee?.username === viewer.username;
  const assignable = viewer.manager && (task.status === "OPEN" || task.status === "ASSIGNED");
  const confirmable = viewer.manager && (task.status === "ASSIGNED" || task.status === "IN_REVIEW");
  const panelId = `assign-${task.id}`;
  return (
    <li class="card task-card">
      <h3>{task.title}</h3>
      {task.description && <p>{task.description}</p>}
      {task.requiredSkills.length > 0 && (
        <p class="muted">{t("tasks.skills", { skills: task.requiredSkills.join(", ") })}</p>
      )}
      <p class="muted">
        {task.points > 0 && t("tasks.points", { points: number(task.points) })}
        {task.points > 0 && task.dueAt && " · "}
        {task.dueAt && t("tasks.due", { date: date(task.dueAt) })}
      </p>
      {task.assignee && <p>{t("tasks.assignee", { name: task.assignee.displayName })}</p>}
      {task.status === "OPEN" && task.volunteers.length > 0 && (
        <p class="muted">{plural("tasks.volunteers", task.volunteers.length)}</p>
      )}
      <div class="actions">
        {viewer.active && task.status === "OPEN" && !offered && (
          <button type="button" onClick={() => void act("volunteer")}>
            {t("tasks.volunteer")}
          </button>
        )}
        {offered && task.status === "OPEN" && <span class="badge">{t("tasks.youOffered")}</span>}
        {mine && task.status === "ASSIGNED" && !viewer.manager && (
          <button type="button" onClick={() => void act("complete")}>
            {t("tasks.markDone")}
          </button>
        )}
        {confirmable && (
          <button type="button" onClick={() => void act("complete")}>
            {t("tasks.confirmDone")}
          </button>
        )}
        {assignable && (
          <button
            type="button"
            aria-expanded={assigning}
            aria-controls={panelId}
            onClick={() => setAssigning(!assigning)}
          >
            {t("tasks.assign")}
          </button>
        )}
      </div>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <div id={panelId}>
        {assigning && assignable && <AssignPanel taskId={task.id} volunteers={task.volunteers} onAssigned={onChange} />}
      </div>
    </li>
  );
}

export function TasksPage({ slug }: { slug: string }) {
  const { t, plural } = useI18n();
  const session = useSession();
  const { data, error, loading, refetch } = useQuery(TASK_BOARD, { slug });
  // Assignments and completions by others move cards: the board follows the community's activity.
  useRereadOnActivity(slug, ["TASK_ASSIGNED", "TASK_COMPLETED"], refetch);
  const community = data?.community;
  if (data && !community) return <p role="alert">{t("community.notFound")}</p>;
  const membership = community?.viewerMembership;
  const active = membership?.status === "ACTIVE";
  const viewer = {
    username: session.viewer?.username ?? null,
    active,
    manager: isManaging(membership),
  };
  const tasks = community?.tasks.edges.map(({ node }) => node) ?? [];
  const refresh = () => refetch();
  return (
    <Status loading={loading && !data} error={error}>
      {community && (
        <>
          <h1>{t("tasks.heading", { name: community.name })}</h1>
          <CommunityNav slug={slug} current="/tasks" />
          {viewer.manager && <CreateTaskForm slug={slug} onCreated={refresh} />}
          <div class="board">
            {COLUMNS.map((status) => {
              const column = tasks.filter((task) => task.status === status);
              return (
                <section key={status} class="board-column" aria-labelledby={`column-${status}`}>
                  <h2 id={`column-${status}`}>
                    {t(`tasks.status.${status}`)} <span class="muted">({plural("tasks.count", column.length)})</span>
                  </h2>
                  {column.length === 0 && <p class="muted">{t("tasks.emptyColumn")}</p>}
                  <ul class="cards">
                    {column.map((task) => (
                      <TaskCard key={task.id} task={task} viewer={viewer} onChange={refresh} />
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        </>
      )}
    </Status>
  );
}
