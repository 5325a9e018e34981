/** Everything on /c/<slug>/manage below its title: one chunk (with uPlot), fetched only by managers. */
import { MembersAdmin } from "./admin/MembersAdmin";
import { RecognitionAdmin } from "./admin/RecognitionAdmin";
import { Dashboard } from "./Dashboard";

export function ManagerTools({ slug }: { slug: string }) {
  return (
    <>
      <Dashboard slug={slug} />
      <MembersAdmin slug={slug} />
      <RecognitionAdmin slug={slug} />
    </>
  );
}
