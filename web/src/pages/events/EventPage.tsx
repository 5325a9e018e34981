import { PendingPage } from "../pending/PendingPage";

export function EventPage(_: { id: string }) {
  return <PendingPage />;
}
