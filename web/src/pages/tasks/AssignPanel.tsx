import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { TaskSuggestionsQuery } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { problemsOf } from "../events/Field";

const SUGGESTIONS = graphql(`
  query TaskSuggestions($id: ID!) {
    node(id: $id) {
      __typename
      ... on Task {
        id
        suggestedMembers(first: 5) {
          score
          matchedSkills
          recentContributions
          tasksInProgress
          member {
            username
            displayName
          }
        }
      }
    }
  }
`);

const ASSIGN = graphql(`
  mutation AssignTask($taskId: ID!, $username: String!) {
    assignTask(taskId: $taskId, username: $username) {
      id
      status
    }
  }
`);

type SuggestedTask = Extract<NonNullable<TaskSuggestionsQuery["node"]>, { __typename: "Task" }>;
type Suggestion = SuggestedTask["suggestedMembers"][number];
type Person = { username: string; displayName: string };

/** Why Cercle suggests someone, in the reader's language, from the figures behind the server's reason. */
function Reason({ suggestion, volunteered }: { suggestion: Suggestion; volunteered: boolean }) {
  const { t, plural } = useI18n();
  const parts = [
    volunteered && t("tasks.volunteered"),
    suggestion.matchedSkills.length > 0 && t("tasks.knows", { skills: suggestion.matchedSkills.join(", ") }),
    plural("tasks.contributions", suggestion.recentContributions),
    suggestion.tasksInProgress > 0 && plural("tasks.inProgress", suggestion.tasksInProgress),
  ];
  return <span class="muted reason">{parts.filter(Boolean).join(" · ")}</span>;
}

/** For managers: the members Cercle suggests for a task and its volunteers, each a button to assign. */
export function AssignPanel({
  taskId,
  volunteers,
  onAssigned,
}: {
  taskId: string;
  volunteers: Person[];
  onAssigned: () => Promise<void>;
}) {
  const { t } = useI18n();
  const { data, error, loading } = useQuery(SUGGESTIONS, { id: taskId });
  const [problem, setProblem] = useState<string>();
  const suggestions = data?.node?.__typename === "Task" ? data.node.suggestedMembers : [];
  const offered = new Set(volunteers.map(({ username }) => username));
  const suggested = new Set(suggestions.map(({ member }) => member.username));
  const assign = async (username: string) => {
    try {
      await request(ASSIGN, { taskId, username });
      await onAssigned();
    } catch (caught) {
      setProblem(Object.values(problemsOf(caught, []))[0]);
    }
  };
  const assignButton = (person: Person) => (
    <button type="button" class="small" onClick={() => void assign(person.username)}>
      {t("tasks.assignTo", { name: person.displayName })}
    </button>
  );
  return (
    <div class="assign-panel">
      <h4>{t("tasks.suggested")}</h4>
      <Status loading={loading && !data} error={error}>
        {suggestions.length === 0 && <p class="muted">{t("tasks.noSuggestion")}</p>}
        <ul class="people">
          {suggestions.map((suggestion) => (
            <li key={suggestion.member.username}>
              <Link href={`/members/${suggestion.member.username}`}>{suggestion.member.displayName}</Link>{" "}
              <Reason suggestion={suggestion} volunteered={offered.has(suggestion.member.username)} />{" "}
              {assignButton(suggestion.member)}
            </li>
          ))}
          {volunteers
            .filter(({ username }) => !suggested.has(username))
            .map((volunteer) => (
              <li key={volunteer.username}>
                <Link href={`/members/${volunteer.username}`}>{volunteer.displayName}</Link>{" "}
                <span class="muted reason">{t("tasks.volunteered")}</span> {assignButton(volunteer)}
              </li>
            ))}
        </ul>
      </Status>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
