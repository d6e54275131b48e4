/**
 * Run by server/cache/cache.test.ts as a second OS process: joins the bus on the given database
 * and channel, bumps the scores generation as a scoring job would, and exits once announced.
 *
 *   tsx server/cache/bump-generation-process.fixture.ts <postgres url> <channel>
 */
import { openPgBus, setProcessBus } from "../realtime/pg-bus";
import { bumpScoresGeneration } from "../services/scoring/generation";

const [url, channel] = process.argv.slice(2);
const bus = await openPgBus(url, channel);
await bus.listening();
setProcessBus(bus);
bumpScoresGeneration();
// The bus's one connection sends in order: this NOTIFY leaves after the bump's.
await bus.send("fixture-done", null);
await bus.close();
console.log("bumped");
