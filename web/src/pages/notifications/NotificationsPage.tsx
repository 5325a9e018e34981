import { PendingPage } from "../pending/PendingPage";

export function NotificationsPage() {
  return <PendingPage />;
}
