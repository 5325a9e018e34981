import { PendingPage } from "../pending/PendingPage";

export function EventsPage({ slug }: { slug: string }) {
  return <PendingPage slug={slug} section="/events" />;
}
