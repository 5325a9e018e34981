import { PendingPage } from "../pending/PendingPage";

export function BadgesPage({ slug }: { slug: string }) {
  return <PendingPage slug={slug} section="/badges" />;
}
