// Follows a community's `activity` with graphql-ws, the reference graphql-transport-ws client,
// and prints the first N events as JSON lines.
//
//   node tests/js/subscribe.mjs '{"url": "ws://127.0.0.1:8000/graphql", "token": "...",
//                                 "slug": "python-paris", "after": "<cursor>", "count": 3}'
//
// Prints one JSON object per line: each event ({cursor, verb, summary, actor}) as it arrives,
// then {"done": true} once `count` events came. An error from the server prints
// {"error": ...} and exits with code 1; nothing within `timeoutMs` exits with code 2.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const options = JSON.parse(process.argv[2] ?? '{}');
const count = options.count ?? 1;
const timeout = options.timeoutMs ?? 15000;

const client = createClient({
  url: options.url,
  webSocketImpl: WebSocket,
  connectionParams: options.token ? { authToken: options.token } : {},
  retryAttempts: 0,
  lazy: true,
});

const query = `subscription Activity($slug: String!, $after: String) {
  activity(communitySlug: $slug, after: $after) { cursor verb summary actor { username } }
}`;

const timer = setTimeout(() => {
  console.log(JSON.stringify({ error: `no ${count} events within ${timeout} ms` }));
  process.exit(2);
}, timeout);

let received = 0;
let exitCode = 0;
try {
  const events = client.iterate({ query, variables: { slug: options.slug, after: options.after ?? null } });
  for await (const result of events) {
    if (result.errors) {
      console.log(JSON.stringify({ error: result.errors }));
      exitCode = 1;
      break;
    }
    console.log(JSON.stringify(result.data.activity));
    received += 1;
    if (received >= count) break; // leaving the loop completes the subscription
  }
  if (exitCode === 0) console.log(JSON.stringify({ done: true }));
} catch (error) {
  // graphql-ws rejects with the error list, or with the CloseEvent of a closed socket
  const detail = Array.isArray(error) ? error : { code: error?.code, reason: error?.reason, message: error?.message };
  console.log(JSON.stringify({ error: detail }));
  exitCode = 1;
} finally {
  clearTimeout(timer);
  await client.dispose();
}
process.exit(exitCode);
