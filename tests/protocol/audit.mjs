// Runs every graphql-http server audit (GraphQL over HTTP spec) against the URL given as the only argument.
// It starts nothing itself: the caller (tests/protocol/test_graphql_http_audit.py) serves the app.
// Every request carries `Authorization: Bearer $AUDIT_BEARER_TOKEN` when set: the API answers anonymous
// requests with 401 before any GraphQL work.
// Prints one JSON line per audit: {id, name, status, reason}; exits 1 when any status is not "ok".
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs http://127.0.0.1:PORT/graphql");
  process.exit(2);
}

const token = process.env.AUDIT_BEARER_TOKEN;
const fetchFn = token
  ? (input, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    }
  : fetch;

const results = await auditServer({ url, fetchFn });
let failed = 0;
for (const result of results) {
  if (result.status !== "ok") failed += 1;
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== "ok") {
    line.reason = result.reason;
    // The response the audit saw, when it kept one: enough to tell why without rerunning.
    if (result.response) {
      line.httpStatus = result.response.status;
      line.contentType = result.response.headers.get("content-type");
      try {
        line.body = (await result.response.text()).slice(0, 500);
      } catch {
        // the audit may have consumed the body already
      }
    }
  }
  console.log(JSON.stringify(line));
}
console.log(JSON.stringify({ total: results.length, notOk: failed }));
process.exit(failed ? 1 : 0);
