// Runs graphql-http's GraphQL-over-HTTP server audits against a URL and prints the results as JSON.
//
//   node tests/js/audit.mjs http://127.0.0.1:8000/graphql
//
// Prints a JSON array of {id, name, level, status, reason, responseStatus}: `level` is the
// audit's keyword (MUST, SHOULD or MAY) and `status` is graphql-http's verdict ("ok", or
// "error"/"warn"/"notice" for a failed MUST/SHOULD/MAY).
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node tests/js/audit.mjs <graphql url>');
  process.exit(2);
}

const results = await auditServer({ url });
const report = await Promise.all(
  results.map(async (result) => {
    const entry = {
      id: result.id,
      name: result.name,
      level: result.name.split(' ')[0],
      status: result.status,
    };
    if (result.status !== 'ok') {
      entry.reason = result.reason;
      entry.responseStatus = result.response?.status;
      try {
        entry.responseBody = (await result.response?.text())?.slice(0, 500);
      } catch {
        // the audit already read the body
      }
    }
    return entry;
  }),
);
console.log(JSON.stringify(report, null, 2));
