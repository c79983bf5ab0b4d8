import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Finds numbers in domain code that look like a sales judgement written as a literal: a threshold
 * that belongs in the rule catalog (Scribe_Setting__mdt and the other custom metadata in
 * force-app/main/configuration), where sales ops tune it and Apex reads the same value.
 *
 * What counts, kept narrow so a finding is worth reading:
 * - a constant whose name says judgement (`STALE_DAYS = 14`, `MIN_CONFIDENCE = 0.6`);
 * - a comparison of something named like a judgement with a number (`score >= 50`, `days > 30`);
 * - a comparison with a fraction strictly between 0 and 1 whatever its name (`p * q >= 0.7`): in
 *   this code such a fraction is a probability, a confidence or a rate.
 * Structural numbers pass: 0, 1, 100 (the percent scale), -1, small epsilons, array positions,
 * lengths and calendar arithmetic, which never match the names below.
 */

export interface LiteralFinding {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Words that name a sales judgement, as whole words of an identifier (camelCase or SNAKE_CASE). */
export const JUDGEMENT_WORDS = [
  'score',
  'probability',
  'confidence',
  'risk',
  'days',
  'stale',
  'threshold',
  'cutoff',
  'commit',
  'weight',
  'band',
  'silence',
  'due',
  'rate',
  'chance',
] as const;

const STRUCTURAL = new Set([0, 1, 100, -1]);
const EPSILON = 1e-3;

const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);

const judgementWord = (text: string) =>
  words(text).find((w) => (JUDGEMENT_WORDS as readonly string[]).includes(w)) ?? null;

function numberOf(node: ts.Expression): number | null {
  if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const inner = numberOf(node.operand);
    return inner === null ? null : -inner;
  }
  return null;
}

const COMPARISONS = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);

/** The identifiers an expression reads (`input.risk.score` gives input, risk, score). */
function namesIn(node: ts.Node): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isIdentifier(n)) out.push(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

export function scanSource(file: string, source: string): LiteralFinding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const findings: LiteralFinding[] = [];
  const report = (node: ts.Node, why: string) =>
    findings.push({
      file,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      text: node.getText(sf).replace(/\s+/g, ' '),
      why,
    });
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const value = numberOf(node.initializer);
      const word = judgementWord(node.name.text);
      if (value !== null && !STRUCTURAL.has(value) && word) {
        report(node, `a constant named for a judgement ("${word}") holds a number`);
      }
    }
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) {
      for (const [literal, other] of [
        [node.right, node.left],
        [node.left, node.right],
      ] as const) {
        const value = numberOf(literal);
        if (value === null || STRUCTURAL.has(value) || Math.abs(value) < EPSILON) continue;
        const word = namesIn(other).map(judgementWord).find(Boolean);
        if (value > 0 && value < 1) report(node, 'compared with a fraction, which reads as a probability');
        else if (word) report(node, `"${word}" compared with a number`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

export function scanFolder(root: string, base = root): LiteralFinding[] {
  const out: LiteralFinding[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...scanFolder(full, base));
    else if (entry.name.endsWith('.ts')) {
      out.push(...scanSource(path.relative(base, full), readFileSync(full, 'utf8')));
    }
  }
  return out;
}
