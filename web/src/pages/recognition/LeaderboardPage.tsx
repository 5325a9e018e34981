import { PendingPage } from "../pending/PendingPage";

export function LeaderboardPage({ slug }: { slug: string }) {
  return <PendingPage slug={slug} section="/leaderboard" />;
}
