// `npm audit` of the dependencies that ship (--omit=dev): a high or critical advisory fails the
// check. The advisories live in the registry, so a registry that cannot be reached, or that does not
// serve the audit endpoint (a read-only mirror answers 405), is said and passes: the check must not
// turn a network outage into a red build, nor a real finding into a green one.
import { execFile } from 'node:child_process';

const TIMEOUT_MS = 120_000;
const UNREACHABLE =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|socket hang up|request to .* failed/i;

/** Runs npm audit; npm exits non-zero when it finds anything, so the JSON is read either way. */
function audit() {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      { timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ error, stdout, stderr }),
    );
  });
}

const { error, stdout, stderr } = await audit();
let report = null;
try {
  report = JSON.parse(stdout);
} catch {
  report = null;
}
const counts = report?.metadata?.vulnerabilities;
if (!counts && typeof report?.statusCode === 'number') {
  console.log(
    `  skipped: the registry's audit endpoint answered HTTP ${report.statusCode} (${report.uri ?? 'npm audit'}); run npm audit --omit=dev where the registry serves it`,
  );
  process.exit(0);
}
if (!counts) {
  const said = `${report?.error?.summary ?? ''} ${report?.error?.detail ?? ''} ${stderr} ${error?.message ?? ''}`;
  if (error?.killed || UNREACHABLE.test(said)) {
    console.log(`  skipped: the npm registry did not answer (${said.trim().split('\n')[0].slice(0, 160)})`);
    process.exit(0);
  }
  console.error(`  npm audit gave no report: ${said.trim().slice(0, 400)}`);
  process.exit(1);
}
const severe = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(
  `  shipped dependencies: ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`,
);
if (severe > 0) {
  for (const [name, finding] of Object.entries(report.vulnerabilities ?? {})) {
    if (finding.severity === 'high' || finding.severity === 'critical') {
      console.error(`  ${finding.severity} ${name} ${finding.range}: run npm audit --omit=dev for the fix`);
    }
  }
  process.exit(1);
}
