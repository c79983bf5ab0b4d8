// A test class annotated @IsTest(IsParallel=true) may not insert, update or delete setup objects
// (User, PermissionSetAssignment, Group, ...): Salesforce refuses the DML when the tests run
// (https://developer.salesforce.com/docs/platform/apex-dev/references/apex-dev/apex-dml-non-mix-sobjects.html:
// "These sObjects also can't be used with the @IsTest (IsParallel=true) annotation").
// This finds such DML statically with apex-parser: in the class itself, or in any method it calls,
// directly or through other classes (a test data factory such as ScribeTestData), by name.
import {
  ApexErrorListener,
  ApexParserFactory,
  ClassDeclarationContext,
  ConstructorDeclarationContext,
  DeleteStatementContext,
  DotExpressionContext,
  EnhancedForControlContext,
  FieldDeclarationContext,
  FormalParameterContext,
  InsertStatementContext,
  LocalVariableDeclarationContext,
  MergeStatementContext,
  MethodCallExpressionContext,
  MethodDeclarationContext,
  NewExpressionContext,
  PrimaryExpressionContext,
  TypeDeclarationContext,
  UndeleteStatementContext,
  UpdateStatementContext,
  UpsertStatementContext,
} from '@apexdevtools/apex-parser';

/** Setup objects, as the page above lists them (and the assignment objects beside them). */
export const SETUP_OBJECTS = [
  'AuthSession',
  'ContentWorkspace',
  'FieldPermissions',
  'ForecastingShare',
  'Group',
  'GroupMember',
  'ObjectPermissions',
  'ObjectTerritory2AssignmentRule',
  'ObjectTerritory2AssignmentRuleItem',
  'PermissionSet',
  'PermissionSetAssignment',
  'PermissionSetGroup',
  'PermissionSetLicenseAssign',
  'QueueSObject',
  'RuleTerritory2Association',
  'SetupEntityAccess',
  'Territory',
  'Territory2',
  'Territory2Model',
  'User',
  'UserPackageLicense',
  'UserRole',
  'UserTerritory',
  'UserTerritory2Association',
];
const SETUP = new Map(SETUP_OBJECTS.map((name) => [name.toLowerCase(), name]));
const DML_STATEMENTS = [
  InsertStatementContext,
  UpdateStatementContext,
  UpsertStatementContext,
  DeleteStatementContext,
  UndeleteStatementContext,
  MergeStatementContext,
];
const DATABASE_DML = /^database\.(insert|update|upsert|delete|undelete|merge)(immediate|async)?$/i;

class Silent extends ApexErrorListener {
  apexSyntaxError() {}
}

const children = (ctx) => ctx?.children ?? [];
function* walk(ctx) {
  yield ctx;
  for (const child of children(ctx)) yield* walk(child);
}

/** The sObject a type names: User, List<User>, User[], Set<GroupMember> → that name, lower case. */
function elementType(typeText) {
  const text = typeText.replace(/\s+/g, '');
  const generic = text.match(/^(?:list|set)<(.+)>$/i);
  return (generic ? generic[1] : text).replace(/\[\]$/, '').toLowerCase();
}

/** What a DML operand holds, when it can be told: new X(...), new List<X>{...}, a typed variable. */
function operandType(expression, scope) {
  if (expression instanceof NewExpressionContext) {
    const created = expression.creator().createdName().getText();
    return elementType(created);
  }
  if (expression instanceof PrimaryExpressionContext) {
    const name = expression.getText().toLowerCase();
    return scope.get(name) ?? null;
  }
  return null;
}

function declaredVariables(ctx, scope) {
  for (const node of walk(ctx)) {
    if (node instanceof LocalVariableDeclarationContext || node instanceof FieldDeclarationContext) {
      const type = elementType(node.typeRef().getText());
      for (const declarator of node.variableDeclarators().variableDeclarator_list()) {
        scope.set(declarator.id().getText().toLowerCase(), type);
      }
    } else if (node instanceof FormalParameterContext || node instanceof EnhancedForControlContext) {
      scope.set(node.id().getText().toLowerCase(), elementType(node.typeRef().getText()));
    }
  }
}

/** Methods of one source file: their setup DML and the methods they call. */
function methodsOf(name, text) {
  const { parser } = ApexParserFactory.createLexerAndParser(text, new Silent());
  const unit = parser.compilationUnit();
  const typeDeclaration = children(unit).find((child) => child instanceof TypeDeclarationContext);
  const annotations = (typeDeclaration?.modifier_list() ?? []).map((m) => m.getText().toLowerCase());
  const parallel = annotations.some((a) => /^@istest\(.*\bisparallel=true\b/.test(a));
  const classFields = new Map();
  const methods = [];
  for (const node of walk(unit)) {
    if (node instanceof FieldDeclarationContext) declaredVariables(node, classFields);
  }
  const isBody = (node) =>
    node instanceof MethodDeclarationContext || node instanceof ConstructorDeclarationContext;
  /** Everything of a class outside its methods: field initializers and static blocks run too. */
  function* outsideMethods(ctx) {
    yield ctx;
    for (const child of children(ctx)) {
      if (!isBody(child) && !(child instanceof ClassDeclarationContext)) yield* outsideMethods(child);
    }
  }
  const bodies = [];
  for (const node of walk(unit)) {
    if (node instanceof ClassDeclarationContext) {
      const className = node.id().getText();
      bodies.push({
        className,
        methodName: '<initializers>',
        line: node.start.line,
        nodes: outsideMethods(node),
      });
    } else if (isBody(node)) {
      let owner = node.parentCtx;
      while (owner && !(owner instanceof ClassDeclarationContext)) owner = owner.parentCtx;
      const className = owner?.id().getText() ?? name;
      const methodName = node instanceof MethodDeclarationContext ? node.id().getText() : className;
      bodies.push({ className, methodName, line: node.start.line, nodes: walk(node), node });
    }
  }
  for (const { className, methodName, line, nodes, node } of bodies) {
    const scope = new Map(classFields);
    if (node) declaredVariables(node, scope);
    const dml = [];
    const calls = [];
    for (const inner of nodes) {
      if (DML_STATEMENTS.some((type) => inner instanceof type)) {
        const operand = inner instanceof MergeStatementContext ? inner.expression(0) : inner.expression();
        const type = operandType(operand, scope);
        if (type && SETUP.has(type)) dml.push({ type: SETUP.get(type), line: inner.start.line });
      } else if (inner instanceof DotExpressionContext && inner.dotMethodCall()) {
        const target = inner.expression().getText();
        const method = inner.dotMethodCall().anyId().getText();
        if (DATABASE_DML.test(`${target}.${method}`)) {
          const first = inner.dotMethodCall().expressionList()?.expression(0);
          const type = first ? operandType(first, scope) : null;
          if (type && SETUP.has(type)) dml.push({ type: SETUP.get(type), line: inner.start.line });
        } else if (/^\w+$/.test(target)) {
          // Class.method(...) or variable.method(...) where the variable holds a class
          const variableType = scope.get(target.toLowerCase());
          calls.push({ className: variableType ?? target.toLowerCase(), method: method.toLowerCase() });
        } else if (inner.expression() instanceof NewExpressionContext) {
          // new Factory().method(...)
          const created = elementType(inner.expression().creator().createdName().getText());
          calls.push({ className: created, method: method.toLowerCase() });
        } else if (/^this$/i.test(target)) {
          calls.push({ className: className.toLowerCase(), method: method.toLowerCase() });
        }
      } else if (inner instanceof MethodCallExpressionContext) {
        const id = inner.methodCall().id();
        if (id) calls.push({ className: className.toLowerCase(), method: id.getText().toLowerCase() });
      }
    }
    methods.push({
      key: `${className}.${methodName}`.toLowerCase(),
      label: `${className}.${methodName}`,
      className,
      line,
      dml,
      calls,
    });
  }
  return { name, parallel, methods };
}

/**
 * Every method of an IsParallel=true class that reaches setup-object DML, with the path.
 * `sources` are { name, file, text } of every class of the project (tests and their utilities).
 */
export function parallelSetupDmlProblems(sources) {
  const units = sources.map((source) => ({ ...source, ...methodsOf(source.name, source.text) }));
  const byKey = new Map();
  for (const unit of units) {
    for (const method of unit.methods) {
      const list = byKey.get(method.key) ?? [];
      list.push({ ...method, file: unit.file });
      byKey.set(method.key, list);
    }
  }
  const memo = new Map();
  /** The first path from a method to setup DML, or null. Overloads are taken together. */
  const reach = (key, visiting = new Set()) => {
    if (memo.has(key)) return memo.get(key);
    if (visiting.has(key)) return null;
    visiting.add(key);
    let found = null;
    for (const method of byKey.get(key) ?? []) {
      if (method.dml.length > 0) {
        const first = method.dml[0];
        found = { path: [method.label], type: first.type, file: method.file, line: first.line };
        break;
      }
      for (const call of method.calls) {
        const next = reach(`${call.className}.${call.method}`, visiting);
        if (next) {
          found = { ...next, path: [method.label, ...next.path] };
          break;
        }
      }
      if (found) break;
    }
    visiting.delete(key);
    memo.set(key, found);
    return found;
  };
  const problems = [];
  for (const unit of units.filter((u) => u.parallel)) {
    const offending = unit.methods
      .map((method) => ({ method, found: reach(method.key) }))
      .filter(({ found }) => found);
    if (offending.length === 0) continue;
    const [{ method, found }] = offending;
    const via = found.path.length > 1 ? ` through ${found.path.slice(1).join(' → ')}` : '';
    const more = offending.length > 1 ? ` (and ${offending.length - 1} more of its methods)` : '';
    problems.push(
      `${unit.file}:${method.line} ${method.label} writes ${found.type}${via} (${found.file}:${found.line})${more}, ` +
        `but ${unit.name} is @IsTest(IsParallel=true): parallel tests may not write setup objects. ` +
        `Drop IsParallel=true from the class.`,
    );
  }
  return problems;
}
