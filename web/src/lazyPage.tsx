/** A page whose code comes in its own chunk, fetched the first time the page is opened. */
import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";

import { Status } from "./components/Status";

export function lazyPage<Props extends object>(load: () => Promise<FunctionComponent<Props>>): FunctionComponent<Props> {
  let loaded: FunctionComponent<Props> | undefined;
  return function LazyPage(props: Props) {
    const [Page, setPage] = useState(() => loaded);
    const [failure, setFailure] = useState<Error>();
    useEffect(() => {
      if (Page) return;
      load().then((page) => {
        loaded = page;
        setPage(() => page);
      }, setFailure);
    }, [Page]);
    return (
      <Status loading={!Page} error={failure}>
        {Page && <Page {...props} />}
      </Status>
    );
  };
}
