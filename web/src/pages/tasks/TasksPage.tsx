import { PendingPage } from "../pending/PendingPage";

export function TasksPage({ slug }: { slug: string }) {
  return <PendingPage slug={slug} section="/tasks" />;
}
