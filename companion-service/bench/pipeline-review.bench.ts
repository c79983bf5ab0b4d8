import { loadPipelineRules } from '../src/adapters/metadata/package-metadata.js';
import { reviewWrite } from '../src/adapters/salesforce/pipeline-review-records.js';
import { AmountScale } from '../src/domain/actions/next-best-action.js';
import { auditPipeline } from '../src/domain/review/pipeline-audit.js';
import { pipelineReviews, type ReviewOwner } from '../src/domain/review/team-review.js';
import { generatePipeline } from './generate-pipeline.js';

/**
 * The weekly reviews of a large generated org: the audit once (not timed here; bench:pipeline times
 * it), then one review per rep and per manager (200 reps, 10 per manager) and their records, timed in
 * wall and CPU time, with the largest body and how many deals it left out.
 *
 *   node --import tsx bench/pipeline-review.bench.ts            (100,000 opportunities)
 *   BENCH_OPPORTUNITIES=20000 node --import tsx bench/pipeline-review.bench.ts
 */

const COUNT = Number(process.env.BENCH_OPPORTUNITIES ?? 100_000);
const AS_OF = '2026-03-31';
const REPS_PER_MANAGER = 10;
const dollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const money = (n: number) => dollars.format(n);

const rules = await loadPipelineRules();
const data = generatePipeline(COUNT, rules.stages, AS_OF);
const audit = auditPipeline({ dataset: data, rules, asOf: AS_OF, weekAgo: null, formatMoney: money });
const ownerOf = new Map(data.opportunities.map((o) => [o.id, o.owner ?? 'none']));
const findings = new Map(audit.deals.map((d) => [d.opportunityId, d.findings]));
const nextStep = new Map(data.opportunities.map((o) => [o.id, o.nextStep]));
const deals = audit.review.deals.map((review) => ({
  review,
  findings: findings.get(review.opportunityId)!,
  nextStep: nextStep.get(review.opportunityId) ?? null,
  ownerId: ownerOf.get(review.opportunityId)!,
}));
const owners = new Map<string, ReviewOwner>();
[...new Set(ownerOf.values())].sort().forEach((name, i) => {
  const manager = Math.floor(i / REPS_PER_MANAGER);
  owners.set(name, {
    userId: name,
    name,
    managerId: `Manager ${manager}`,
    managerName: `Manager ${manager}`,
  });
});

const wall = performance.now();
const cpu = process.cpuUsage();
const reviews = pipelineReviews(
  deals,
  audit.queues.flatMap((q) => q.actions),
  owners,
  {
    asOf: AS_OF,
    formatMoney: money,
    medianAmount: new AmountScale(audit.review.deals.map((d) => d.amount)).median,
    cutoffs: rules.thresholds.forecastCutoffs,
    shares: rules.thresholds.reviewConfidence,
  },
);
const built = performance.now();
const writes = reviews.map((r) => reviewWrite(r, 'bench', new Date().toISOString()));
const done = performance.now();
const used = process.cpuUsage(cpu);
const largest = writes.reduce((a, b) =>
  String(b.fields.Content__c).length > String(a.fields.Content__c).length ? b : a,
);
const body = JSON.parse(String(largest.fields.Content__c));

console.log(
  `${audit.review.deals.length.toLocaleString('en-US')} open deals, ${owners.size} reps: ${reviews.length} reviews built in ${(built - wall).toFixed(0)} ms, shaped as records in ${(done - built).toFixed(0)} ms (CPU ${((used.user + used.system) / 1000).toFixed(0)} ms)`,
);
console.log(
  `largest body: ${largest.key}, ${String(largest.fields.Content__c).length.toLocaleString('en-US')} characters, ${body.deals.length} deals listed, ${body.omitted.deals} left out`,
);
