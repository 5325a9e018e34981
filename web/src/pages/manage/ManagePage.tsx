import { PendingPage } from "../pending/PendingPage";

export function ManagePage({ slug }: { slug: string }) {
  return <PendingPage slug={slug} section="/manage" />;
}
