/** The app's one road to Cercle: POST /graphql, JSON, the session cookie sent by the browser. */
import type { TypedDocumentString } from "../gql/graphql";

export type GraphQLErrorShape = { message: string; extensions?: { code?: string; field?: string } };

/** The errors of an answer, with the first one's code for the pages to choose a message by. */
export class RequestError extends Error {
  readonly code: string;
  readonly field: string | undefined;

  constructor(readonly errors: GraphQLErrorShape[]) {
    super(errors.map((error) => error.message).join("; "));
    this.code = errors[0]?.extensions?.code ?? "INTERNAL_SERVER_ERROR";
    this.field = errors[0]?.extensions?.field;
  }
}

export async function request<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  variables?: Variables,
): Promise<Result> {
  const response = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    // JSON is also what lets Cercle accept the session cookie on a mutation (no cross-site form can send it).
    headers: { "Content-Type": "application/json", Accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const answer = (await response.json().catch(() => null)) as { data?: Result; errors?: GraphQLErrorShape[] } | null;
  if (answer === null) throw new RequestError([{ message: `HTTP ${response.status}` }]);
  if (answer.errors?.length) throw new RequestError(answer.errors);
  return answer.data as Result;
}
