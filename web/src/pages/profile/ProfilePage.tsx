import { PendingPage } from "../pending/PendingPage";

export function ProfilePage(_: { username: string }) {
  return <PendingPage />;
}
