/**
 * Runs the fake VLM server in its own process for the benchmark, so that the server's JSON work does not
 * share an event loop with the client being measured (a real server runs elsewhere). Prints its origin.
 */
import { startFakeVlmServer } from '../test/fake-vlm-server.js';

const latencyMs = Number(process.argv[2] ?? 50);
const server = await startFakeVlmServer({ latencyMs, recordRequests: false });
process.send?.({ origin: server.origin });
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0));
});
