/**
 * A counter bumped whenever stored scores change (scoring, re-levelling after new risk bands), so
 * caches of numbers derived from scores (the dashboard, the customers summary, analytics) can key
 * on it and never show numbers older than the scores. Kept on globalThis because Next.js may load
 * this module more than once in one process (instrumentation, where the job runner lives, and the
 * route bundles). With PostgreSQL, a bump is announced to the other server processes over the
 * process bus (server/realtime/pg-bus.ts), which bump theirs; processes without the bus (Lambda,
 * Inngest workers elsewhere) are covered by the caches' short TTL.
 */
import { processWide } from "../../process-wide";
import { onProcessBus, processBus, processBusReady } from "../../realtime/pg-bus";

const TOPIC = "scores-generation";
const generation = processWide("scoresGeneration", () => ({ value: 0 }));

function listenToOtherProcesses(): void {
  onProcessBus("scoresGeneration", (bus) =>
    bus.on(TOPIC, () => {
      generation.value += 1;
    }),
  );
}

export function scoresGeneration(): number {
  listenToOtherProcesses();
  processBus(); // joins the bus on the first read (a no-op after, and without PostgreSQL)
  return generation.value;
}

export function bumpScoresGeneration(): void {
  generation.value += 1;
  listenToOtherProcesses();
  // Once connected this resolves at once; before, it waits for the connection instead of dropping the news.
  void processBusReady().then((bus) => bus?.send(TOPIC, null));
}
