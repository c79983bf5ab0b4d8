import { readFile, readdir } from 'node:fs/promises';
import { extractConversation } from '/work/wt-nextsteps/companion-service/src/services/extract-conversation.js';
import { loadPackageRules } from '/work/wt-nextsteps/companion-service/src/adapters/metadata/package-metadata.js';
import { EmbeddedExtractor } from '/work/wt-nextsteps/companion-service/src/domain/extraction/embedded/embedded-extractor.js';
const rules = await loadPackageRules();
const dir = '/work/wt-nextsteps/companion-service/eval/cases/dev';
const only = process.argv.slice(2);
for (const c of (await readdir(dir)).sort()) {
  if (only.length && !only.some((o) => c.startsWith(o))) continue;
  const files = await readdir(`${dir}/${c}`);
  const input = files.find((f) => f.startsWith('input'))!;
  const exp = JSON.parse(await readFile(`${dir}/${c}/expected.json`, 'utf8'));
  const raw = await readFile(`${dir}/${c}/${input}`, 'utf8');
  const out = await extractConversation({ raw: raw as any, meetingDate: exp.meetingDate, currentStage: exp.currentStage, today: exp.meetingDate, rules, extractor: new EmbeddedExtractor() });
  console.log('===', c);
  for (const s of out.nextSteps) console.log('  ', s.owner, s.dueDate, s.priority, '|', s.text.slice(0, 120));
}
