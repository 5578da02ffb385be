// Runs the real graphql-ws and graphql-sse clients against our transports and prints one JSON
// object with everything they received (asserted by SubscriptionClientTests).
// Usage: node clients.mjs http://127.0.0.1:PORT/graphql
import { createClient as createWsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';

const httpUrl = process.argv[2];
if (!httpUrl) {
  console.error('usage: node clients.mjs <http url of the GraphQL endpoint>');
  process.exit(2);
}
const wsUrl = httpUrl.replace(/^http/, 'ws');

// Reads results until the stream ends, fails, or `max` results arrived (then stops it early).
async function collect(iterator, max = Infinity) {
  const results = [];
  try {
    for await (const result of iterator) {
      results.push(result);
      if (results.length >= max) break;
    }
    return { results };
  } catch (error) {
    return { results, error: describe(error) };
  }
}

function describe(error) {
  if (Array.isArray(error)) return { graphqlErrors: error.map((e) => e.message) };
  if (error && typeof error.code === 'number') return { closeCode: error.code, reason: error.reason };
  return { message: String(error?.message ?? error) };
}

const output = {};

const ws = createWsClient({
  url: wsUrl,
  webSocketImpl: WebSocket,
  connectionParams: { token: 'ada' },
  retryAttempts: 0,
});
output.ws = {
  counter: await collect(ws.iterate({ query: 'subscription ($to: Int!) { counter(to: $to) }', variables: { to: 3 } })),
  query: await collect(ws.iterate({ query: '{ whoami }' })),
  mutation: await collect(ws.iterate({ query: 'mutation { add(a: 20, b: 22) }' })),
  validation: await collect(ws.iterate({ query: 'subscription { nope }' })),
  failing: await collect(ws.iterate({ query: 'subscription { failing(after: 2) }' })),
  early: await collect(ws.iterate({ query: 'subscription { forever(name: "js-ws") }' }), 1),
};
await ws.dispose();

const refused = createWsClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { token: 'wrong' }, retryAttempts: 0 });
output.wsRefused = await collect(refused.iterate({ query: '{ hello }' }));
await refused.dispose();

const sse = createSseClient({ url: httpUrl, headers: { authorization: 'grace' }, retryAttempts: 0 });
output.sse = {
  counter: await collect(sse.iterate({ query: 'subscription ($to: Int!) { counter(to: $to) }', variables: { to: 3 } })),
  query: await collect(sse.iterate({ query: '{ whoami }' })),
  mutation: await collect(sse.iterate({ query: 'mutation { add(a: 1, b: 1) }' })),
  validation: await collect(sse.iterate({ query: 'subscription { nope }' })),
  failing: await collect(sse.iterate({ query: 'subscription { failing(after: 2) }' })),
  early: await collect(sse.iterate({ query: 'subscription { forever(name: "js-sse") }' }), 1),
};
sse.dispose();

console.log(JSON.stringify(output));
