/** What graphql-ws hands a subscription's error sink (GraphQL errors, a close event or an Error), as an Error. */
export function liveError(caught: unknown): Error {
  if (caught instanceof Error) return caught;
  if (Array.isArray(caught)) return new Error(caught.map((error: { message?: string }) => error.message ?? "").join("; "));
  if (caught instanceof CloseEvent) return new Error(caught.reason || `WebSocket closed (${caught.code})`);
  return new Error(String(caught));
}
