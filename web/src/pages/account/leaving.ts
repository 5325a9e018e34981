import { request } from "../../api/client";
import { resetLive } from "../../api/live";
import { graphql } from "../../gql";

const LOGOUT = graphql(`
  mutation LeaveSession {
    logout
  }
`);

/** The session ended on the server (revoked, account deleted): clear the app's cookie and stop acting as the member. */
export async function leave(refresh: () => Promise<void>): Promise<void> {
  try {
    await request(LOGOUT);
  } catch {
    // Already refused by the server: the cookie no longer counts either way.
  }
  resetLive();
  await refresh();
}

/** The token of the address (`?token=`), or null. */
export function tokenInAddress(): string | null {
  const token = new URLSearchParams(location.search).get("token");
  return token ? token : null;
}
