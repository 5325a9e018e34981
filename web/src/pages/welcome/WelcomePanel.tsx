import { useQuery } from "../../api/useQuery";
import { useSession } from "../../session";
import { Arrivals } from "./Arrivals";
import { OWN_WELCOME, OwnWelcome } from "./OwnWelcome";

/** On a community's home: the newcomer's own welcome, and newcomers arriving for members to greet (issue 13). */
export function WelcomePanel({ slug }: { slug: string }) {
  const { viewer } = useSession();
  const { data } = useQuery(OWN_WELCOME, { slug });
  const welcome = data?.community?.viewerMembership?.welcome;
  return (
    <>
      {welcome && <OwnWelcome slug={slug} welcome={welcome} />}
      <Arrivals slug={slug} viewerName={viewer?.username} />
    </>
  );
}
