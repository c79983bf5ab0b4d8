// Static analysis of the package with PMD and the regex engine, driven through Salesforce Code
// Analyzer's core library (the `sf code-analyzer` plugin does not install offline). PMD's security,
// performance and recommended rules and every regex rule run over force-app; a high-severity finding
// (1 critical, 2 high) fails the check, the others are listed for the reader. The Flow Scanner engine
// is not run: it needs a Python scanner this project's machines do not install (SECURITY.md).
import { CodeAnalyzer, CodeAnalyzerConfig, EventType, LogLevel } from '@salesforce/code-analyzer-core';
import * as Pmd from '@salesforce/code-analyzer-pmd-engine';
import * as Regex from '@salesforce/code-analyzer-regex-engine';
import { FORCE_APP, relative, timed } from './lib/force-app-files.mjs';

const SELECTORS = ['pmd:Security', 'pmd:Performance', 'pmd:Recommended', 'regex'];
const HIGHEST_ALLOWED_SEVERITY = 3;

const problems = await timed(
  'PMD and regex (Code Analyzer core: security, performance, recommended)',
  async () => {
    const analyzer = new CodeAnalyzer(CodeAnalyzerConfig.withDefaults());
    const engineErrors = [];
    analyzer.onEvent(EventType.EngineLogEvent, (event) => {
      if (event.logLevel === LogLevel.Error) engineErrors.push(`${event.engineName}: ${event.message}`);
    });
    await analyzer.addEnginePlugin(Pmd.createEnginePlugin());
    await analyzer.addEnginePlugin(Regex.createEnginePlugin());
    const workspace = await analyzer.createWorkspace([FORCE_APP]);
    const rules = await analyzer.selectRules(SELECTORS, { workspace });
    const results = await analyzer.run(rules, { workspace });
    const found = [];
    const lower = new Map();
    for (const violation of results.getViolations()) {
      const rule = violation.getRule();
      const where = violation.getPrimaryLocation();
      const line = `sev ${rule.getSeverityLevel()} ${rule.getName()} ${relative(where.getFile() ?? '')}:${where.getStartLine()} ${violation.getMessage().trim()}`;
      if (rule.getSeverityLevel() < HIGHEST_ALLOWED_SEVERITY) found.push(line);
      else lower.set(rule.getName(), (lower.get(rule.getName()) ?? 0) + 1);
    }
    const summary = [...lower].map(([name, count]) => `${name} ${count}`).join(', ');
    console.log(`  ${rules.getCount()} rules; lower-severity findings (not failing): ${summary || 'none'}`);
    return [...engineErrors, ...found];
  },
);
process.exit(problems.length === 0 ? 0 : 1);
