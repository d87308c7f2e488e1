// Score a prediction file on HICO-DET. Run:
//   pnpm --filter @hoi/examples evaluate ANNOTATIONS.json PREDICTIONS.jsonl [official|qpic|da-hoi]
import { evaluateHicoDet, formatHicoDetTable, type HicoDetProtocol } from '@hoi/eval';

const [annotations, predictions, protocol = 'official'] = process.argv.slice(2);
if (!annotations || !predictions) {
  console.error('usage: evaluate ANNOTATIONS.json PREDICTIONS.jsonl [official|qpic|da-hoi]');
  process.exit(2);
}
const { result, timings, warnings } = await evaluateHicoDet({
  annotations,
  predictions,
  protocol: protocol as HicoDetProtocol,
});
for (const w of warnings) console.error(w);
console.log(formatHicoDetTable(result));
console.log(
  `parse ${timings.parseMs.toFixed(0)} ms, match ${timings.matchMs.toFixed(0)} ms, AP ${timings.apMs.toFixed(0)} ms`,
);
