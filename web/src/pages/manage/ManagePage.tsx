import { PendingPage } from "../pending/PendingPage";
import { MembersAdmin } from "./admin/MembersAdmin";
import { RecognitionAdmin } from "./admin/RecognitionAdmin";

export function ManagePage({ slug }: { slug: string }) {
  return (
    <>
      <PendingPage slug={slug} section="/manage" />
      <MembersAdmin slug={slug} />
      <RecognitionAdmin slug={slug} />
    </>
  );
}
