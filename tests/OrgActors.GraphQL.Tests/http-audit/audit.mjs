// Usage: node audit.mjs <url>. Prints one JSON line per audit: {"name", "status", "reason"}.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
for (const audit of serverAudits({ url })) {
  let result;
  try {
    result = await audit.fn();
  } catch (error) {
    result = { status: 'error', reason: String(error && error.message || error) };
  }
  console.log(JSON.stringify({ name: audit.name, status: result.status, reason: result.reason ?? null }));
}
