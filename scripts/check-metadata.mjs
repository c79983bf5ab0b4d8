// Consistency checks of force-app that `sf project convert source` does not make: meta files beside
// their sources, names that match their files, custom metadata records that fit their types, picklist
// values that exist, permission sets, layouts, flexipages and the app pointing at things that exist,
// every field Apex SOQL, LWC and flexipages name existing, every Apex method an LWC calls existing
// with the parameter names the component sends, tab styles that exist, and the integration permission
// set granting exactly what the companion service writes (run with `node --import tsx`, which loads
// the package's model, @pipeline-scribe/force-app-model, and the service's list of written fields).
import { readFileSync } from 'node:fs';
import { XMLValidator } from 'fast-xml-parser';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, relative, timed } from './lib/force-app-files.mjs';
import {
  STANDARD_STAGES,
  STANDARD_TABS,
  TAB_MOTIFS,
  hasField,
  isPermissionableStandardField,
  loadForceApp,
  objectExists,
  parseXml,
  resolvePath,
} from '@pipeline-scribe/force-app-model';
import { INTEGRATION_PERMISSION_SET, integrationAccessProblems } from './lib/integration-access.mjs';
import { serviceCredentialProblems } from './lib/service-credential.mjs';

// Tasks and events take no object permissions: every user reads them (as their related record
// allows) and writes them with the Edit Tasks / Edit Events user permissions.
// https://help.salesforce.com/s/articleView?id=platform.users_profiles_object_perms.htm&language=en_US&type=5
const READ_WITHOUT_OBJECT_PERMISSION = new Set(['Task', 'Event']);

const API_VERSION = JSON.parse(readFileSync(path.join(ROOT, 'sfdx-project.json'), 'utf8')).sourceApiVersion;
const DEVELOPER_NAME = /^[A-Za-z](?!.*__)[A-Za-z0-9_]{0,38}[A-Za-z0-9]$|^[A-Za-z]$/;
const NUMERIC_TYPES = new Set(['Number', 'Currency', 'Percent']);
const PICKLIST_TYPES = new Set(['Picklist', 'MultiselectPicklist']);
const STAGE_NAMES = STANDARD_STAGES.map((stage) => stage.name);

function checkSourcesHaveMeta(model) {
  const problems = [];
  for (const file of model.allFiles.filter((name) => name.endsWith('.xml'))) {
    const verdict = XMLValidator.validate(readFileSync(file, 'utf8'));
    if (verdict !== true) {
      problems.push(`${relative(file)}:${verdict.err.line} is not well-formed XML: ${verdict.err.msg}`);
    }
  }
  for (const [kind, sources] of [
    ['class', model.classes],
    ['trigger', model.triggers],
  ]) {
    for (const source of sources.values()) {
      if (!source.file) problems.push(`${relative(source.meta)}: ${kind} meta file without its source`);
      if (!source.meta) problems.push(`${relative(source.file)}: ${kind} without its -meta.xml`);
      if (source.meta) {
        const meta = parseXml(source.meta);
        const root = meta.ApexClass ?? meta.ApexTrigger ?? {};
        if (String(root.apiVersion) !== API_VERSION) {
          problems.push(
            `${relative(source.meta)}: apiVersion ${root.apiVersion}, the project uses ${API_VERSION}`,
          );
        }
      }
      const declared = source.text.match(
        kind === 'class' ? /\bclass\s+(\w+)/i : /^\s*trigger\s+(\w+)/im,
      )?.[1];
      if (source.file && declared && declared !== source.name) {
        problems.push(`${relative(source.file)}: declares ${declared}, the file is named ${source.name}`);
      }
    }
  }
  for (const file of model.allFiles) {
    const name = path.basename(file);
    if (file.includes(`${path.sep}fields${path.sep}`) && !name.endsWith('.field-meta.xml')) {
      problems.push(`${relative(file)}: a field file must end .field-meta.xml (the CLI drops it silently)`);
    }
  }
  return problems;
}

function checkObjects(model) {
  const problems = [];
  const relationshipNames = new Map();
  for (const object of model.objects.values()) {
    if (object.kind !== 'standard' && object.objectFiles.length === 0) {
      problems.push(`${object.name}: fields but no ${object.name}.object-meta.xml`);
    }
    if (object.objectFiles.length > 1) {
      problems.push(
        `${object.name}: defined in ${object.objectFiles.length} folders: ${object.objectFiles.map(relative)}`,
      );
    }
    for (const field of object.fields.values()) {
      const where = relative(field.file);
      if (field.fullName !== field.fileName) {
        problems.push(`${where}: fullName ${field.fullName} does not match the file name ${field.fileName}`);
      }
      if (!field.fullName.endsWith('__c')) problems.push(`${where}: a custom field's name ends __c`);
      if (PICKLIST_TYPES.has(field.type)) {
        const names = field.values.map((value) => value.name);
        if (names.length === 0) problems.push(`${where}: a picklist without values`);
        if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) {
          problems.push(`${where}: duplicate picklist values`);
        }
        if (field.values.filter((value) => value.isDefault).length > 1 && field.type === 'Picklist') {
          problems.push(`${where}: more than one default value`);
        }
      }
      if (field.type === 'Lookup') {
        if (!field.referenceTo || !objectExists(model, field.referenceTo)) {
          problems.push(`${where}: looks up ${field.referenceTo}, which does not exist`);
        } else {
          const key = `${field.referenceTo}.${field.relationshipName}`;
          if (relationshipNames.has(key)) {
            problems.push(`${where}: relationship name ${key} is also used by ${relationshipNames.get(key)}`);
          }
          relationshipNames.set(key, `${object.name}.${field.fullName}`);
        }
      }
      if (field.formula) {
        for (const token of field.formula.match(/\b[A-Za-z]\w*__c\b/g) ?? []) {
          if (!hasField(model, object.name, token))
            problems.push(`${where}: the formula names ${token}, not a field`);
        }
      }
    }
  }
  return problems;
}

function checkCustomMetadataRecords(model) {
  const problems = [];
  const seen = new Set();
  for (const record of model.records) {
    const where = relative(record.file);
    if (!record.type) {
      problems.push(`${where}: a record file is named <Type>.<DeveloperName>.md-meta.xml`);
      continue;
    }
    const typeName = `${record.type}__mdt`;
    const type = model.objects.get(typeName);
    if (!type || type.kind !== 'cmdt' || type.objectFiles.length === 0) {
      problems.push(`${where}: custom metadata type ${typeName} does not exist in force-app`);
      continue;
    }
    if (!DEVELOPER_NAME.test(record.developerName)) {
      problems.push(`${where}: "${record.developerName}" is not a valid developer name`);
    }
    const key = `${typeName}.${record.developerName}`.toLowerCase();
    if (seen.has(key)) problems.push(`${where}: a second record named ${record.developerName}`);
    seen.add(key);
    if (!record.label) problems.push(`${where}: a record needs a label`);
    for (const value of record.entries) {
      const field = type.fields.get(value.field);
      if (!field) {
        problems.push(`${where}: ${typeName} has no field ${value.field}`);
        continue;
      }
      if (value.nil) continue;
      if (
        NUMERIC_TYPES.has(field.type) &&
        (value.xsiType !== 'xsd:double' || Number.isNaN(Number(value.text)))
      ) {
        problems.push(`${where}: ${value.field} is a number; "${value.text}" (${value.xsiType}) is not`);
      }
      if (
        field.type === 'Checkbox' &&
        (value.xsiType !== 'xsd:boolean' || !['true', 'false'].includes(value.text))
      ) {
        problems.push(`${where}: ${value.field} is a checkbox; "${value.text}" is not true or false`);
      }
      if (field.type === 'Picklist' && !field.values.some((allowed) => allowed.name === value.text)) {
        problems.push(
          `${where}: ${value.field} "${value.text}" is not one of ${field.values.map((allowed) => allowed.name).join(', ')}`,
        );
      }
    }
  }
  return problems;
}

/** What the rules in custom metadata name must exist: fields, stages, signals, phases, actions. */
function checkRuleReferences(model) {
  const problems = [];
  const valueOf = (record, field) =>
    record.entries.find((value) => value.field === field && !value.nil)?.text;
  for (const record of model.records) {
    const where = relative(record.file);
    if (record.type === 'Field_Policy') {
      const objectName = valueOf(record, 'Object_Name__c');
      const fieldName = valueOf(record, 'Field_Name__c');
      if (!objectExists(model, objectName)) problems.push(`${where}: object ${objectName} does not exist`);
      else if (!hasField(model, objectName, fieldName)) {
        problems.push(`${where}: ${objectName}.${fieldName} does not exist; create the field in force-app`);
      }
    }
    if (record.type === 'Stage_Definition') {
      const stage = valueOf(record, 'Stage_Name__c');
      if (!STAGE_NAMES.includes(stage))
        problems.push(`${where}: "${stage}" is not a standard opportunity stage`);
    }
  }
  const picklist = (objectName, fieldName) =>
    (model.objects.get(objectName)?.fields.get(fieldName)?.values ?? []).map((value) => value.name).sort();
  const sameValues = (a, b, what, onlyInB = []) => {
    const [left, right] = [picklist(...a), picklist(...b).filter((value) => !onlyInB.includes(value))];
    if (left.join('|') !== right.join('|')) {
      problems.push(
        `${a.join('.')} and ${b.join('.')} must hold the same values (${what}): ${left} vs ${right}`,
      );
    }
  };
  sameValues(['Risk_Rule__mdt', 'Signal__c'], ['Opportunity', 'Hygiene_Flags__c'], 'a flag is a rule signal');
  sameValues(
    ['Buying_Phase_Rule__mdt', 'Decision_Phase__c'],
    ['Opportunity', 'Customer_Decision_Phase__c'],
    'a rule sets the phase',
  );
  sameValues(
    ['Risk_Rule__mdt', 'Recommended_Action__c'],
    ['Next_Best_Action__c', 'Action_Type__c'],
    'a rule’s action becomes an action type',
    // Asked for by the calendar, not by a risk rule (companion-service domain/calendar/meeting-notes.ts).
    ['Add Meeting Notes'],
  );
  return problems;
}

function checkPermissionSets(model) {
  const problems = [];
  for (const [name, { file, xml, objectPermissions, fieldPermissions }] of model.permissionSets) {
    const where = relative(file);
    if (!xml.label) problems.push(`${where}: a permission set needs a label`);
    // PermissionSet.Description holds 255 characters; a longer one fails the deploy
    // (https://developer.salesforce.com/docs/atlas.en-us.224.0.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_PermissionSet.htm)
    if (String(xml.description ?? '').length > 255) {
      problems.push(
        `${where}: the description has ${String(xml.description).length} characters; at most 255`,
      );
    }
    for (const access of objectPermissions) {
      if (!objectExists(model, access.object))
        problems.push(`${where}: object ${access.object} does not exist`);
      const grants = ['allowCreate', 'allowEdit', 'allowDelete', 'viewAllRecords', 'modifyAllRecords'];
      if (!access.allowRead && grants.some((grant) => access[grant])) {
        problems.push(`${where}: ${access.object} grants more than read without read`);
      }
      // Modify All requires Read, Edit, Delete and View All on the same object
      // (https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-objectpermissions.html,
      // PermissionsModifyAllRecords); View All requires Read.
      if (access.modifyAllRecords) {
        for (const [grant, label] of [
          ['allowEdit', 'Edit'],
          ['allowDelete', 'Delete'],
          ['viewAllRecords', 'View All'],
        ]) {
          if (!access[grant]) problems.push(`${where}: ${access.object} Modify All needs ${label}`);
        }
      }
    }
    const readableObjects = new Set(objectPermissions.filter((a) => a.allowRead).map((a) => a.object));
    if (readableObjects.has('Opportunity') && !readableObjects.has('Account')) {
      problems.push(`${where}: reading Opportunity needs reading Account`);
    }
    for (const access of fieldPermissions) {
      const [objectName, fieldName] = access.field.split('.');
      const { editable } = access;
      const custom = model.objects.get(objectName)?.fields.get(fieldName);
      if (custom) {
        if (custom.required)
          problems.push(`${where}: ${access.field} is required, so it takes no field permission`);
        if (custom.formula && editable)
          problems.push(`${where}: ${access.field} is a formula, it cannot be editable`);
      } else if (!isPermissionableStandardField(objectName, fieldName)) {
        problems.push(`${where}: ${access.field} does not exist or takes no field permission`);
      }
      if (!readableObjects.has(objectName) && !READ_WITHOUT_OBJECT_PERMISSION.has(objectName))
        problems.push(`${where}: ${access.field} on an object it cannot read`);
    }
    for (const access of xml.classAccesses ?? []) {
      const apexClass = model.classes.get(String(access.apexClass));
      if (!apexClass) problems.push(`${where}: class ${access.apexClass} does not exist`);
      else if (!apexClass.auraEnabled) {
        problems.push(`${where}: class ${access.apexClass} has nothing a user calls; grant only controllers`);
      }
    }
    for (const access of xml.customMetadataTypeAccesses ?? []) {
      if (model.objects.get(String(access.name))?.kind !== 'cmdt') {
        problems.push(`${where}: custom metadata type ${access.name} does not exist`);
      }
    }
    for (const setting of xml.tabSettings ?? []) {
      if (!model.tabs.has(String(setting.tab)) && !STANDARD_TABS.includes(String(setting.tab))) {
        problems.push(`${where}: tab ${setting.tab} does not exist`);
      }
    }
    for (const visibility of xml.applicationVisibilities ?? []) {
      if (!model.applications.has(String(visibility.application))) {
        problems.push(`${where}: app ${visibility.application} does not exist`);
      }
    }
    if (name.includes('Integration') && (xml.classAccesses ?? []).length > 0) {
      problems.push(`${where}: the integration user calls the REST API, not Apex`);
    }
  }
  return problems;
}

function checkTabsAppsLayouts(model) {
  const problems = [];
  for (const [name, { file, xml }] of model.tabs) {
    if (String(xml.customObject) === 'true' && model.objects.get(name)?.kind !== 'custom') {
      problems.push(`${relative(file)}: tab for ${name}, which is not a custom object in force-app`);
    }
    if (xml.motif === undefined)
      problems.push(`${relative(file)}: a tab needs a <motif> (its style and icon)`);
    else if (!TAB_MOTIFS.includes(String(xml.motif))) {
      const number = String(xml.motif).match(/^Custom(\d+):/)?.[1];
      const same = TAB_MOTIFS.find((motif) => motif.startsWith(`Custom${number}:`));
      problems.push(
        `${relative(file)}: "${xml.motif}" is not a tab style${same ? ` (Custom${number} is "${same}")` : ''}`,
      );
    }
  }
  for (const [, { file, xml }] of model.applications) {
    for (const tab of xml.tabs ?? []) {
      if (!model.tabs.has(String(tab)) && !STANDARD_TABS.includes(String(tab))) {
        problems.push(`${relative(file)}: tab ${tab} does not exist`);
      }
    }
    for (const override of xml.actionOverrides ?? []) {
      if (String(override.type) === 'Flexipage' && !model.flexipages.has(String(override.content))) {
        problems.push(`${relative(file)}: override with flexipage ${override.content}, which does not exist`);
      }
    }
  }
  for (const [name, { file, xml }] of model.layouts) {
    const objectName = name.split('-')[0];
    for (const section of xml.layoutSections ?? []) {
      for (const column of section.layoutColumns ?? []) {
        for (const item of column.layoutItems ?? []) {
          if (item.field && !hasField(model, objectName, String(item.field))) {
            problems.push(`${relative(file)}: ${objectName}.${item.field} does not exist`);
          }
        }
      }
    }
  }
  return problems;
}

const PAGE_TARGETS = {
  RecordPage: 'lightning__RecordPage',
  HomePage: 'lightning__HomePage',
  AppPage: 'lightning__AppPage',
};

function checkFlexipages(model) {
  const problems = [];
  for (const [name, { file, xml }] of model.flexipages) {
    const where = relative(file);
    if (name !== name.replace(/[^A-Za-z0-9_]/g, '')) problems.push(`${where}: invalid developer name`);
    const regions = xml.flexiPageRegions ?? [];
    const facets = new Set(
      regions.filter((region) => String(region.type) === 'Facet').map((r) => String(r.name)),
    );
    const target = PAGE_TARGETS[String(xml.type)];
    const sobject = xml.sobjectType ? String(xml.sobjectType) : null;
    for (const region of regions) {
      for (const item of region.itemInstances ?? []) {
        const fieldItem = item.fieldInstance?.fieldItem;
        if (fieldItem) {
          const fieldName = String(fieldItem).replace(/^Record\./, '');
          if (!sobject || !hasField(model, sobject, fieldName))
            problems.push(`${where}: ${sobject}.${fieldName} does not exist`);
        }
        const instance = item.componentInstance;
        if (!instance) continue;
        for (const property of instance.componentInstanceProperties ?? []) {
          const facetProperty = ['body', 'tabs', 'columns', 'primaryField', 'secondaryFields'].includes(
            String(property.name),
          );
          if (facetProperty && property.value !== undefined && !facets.has(String(property.value))) {
            problems.push(
              `${where}: ${property.name} points at facet ${property.value}, which is not defined`,
            );
          }
        }
        const componentName = String(instance.componentName);
        if (componentName.includes(':')) continue;
        const component = model.components.get(componentName);
        if (!component) {
          problems.push(`${where}: component ${componentName} does not exist in force-app`);
          continue;
        }
        const meta = component.meta ?? {};
        const targets = (meta.targets?.target ?? []).map(String);
        if (String(meta.isExposed) !== 'true') problems.push(`${where}: ${componentName} is not exposed`);
        if (!targets.includes(target)) problems.push(`${where}: ${componentName} does not target ${target}`);
        const configs = (meta.targetConfigs?.targetConfig ?? []).filter((config) =>
          String(config['@targets'])
            .split(',')
            .map((t) => t.trim())
            .includes(target),
        );
        const objects = configs.flatMap((config) => (config.objects?.object ?? []).map(String));
        if (sobject && objects.length > 0 && !objects.includes(sobject)) {
          problems.push(`${where}: ${componentName} is not configured for ${sobject}`);
        }
        const declared = new Set(
          configs.flatMap((config) => (config.property ?? []).map((p) => String(p['@name']))),
        );
        for (const property of instance.componentInstanceProperties ?? []) {
          if (!declared.has(String(property.name))) {
            problems.push(`${where}: ${componentName} has no design property ${property.name}`);
          }
        }
      }
    }
  }
  return problems;
}

const SOQL_WORDS = new Set(
  'SELECT FROM WHERE AND OR NOT IN LIKE NULL TRUE FALSE ORDER BY ASC DESC NULLS FIRST LAST LIMIT OFFSET WITH USER_MODE SYSTEM_MODE SECURITY_ENFORCED FOR UPDATE VIEW REFERENCE COUNT COUNT_DISTINCT SUM MIN MAX AVG GROUP HAVING INCLUDES EXCLUDES TODAY YESTERDAY TOMORROW'.split(
    ' ',
  ),
);

/** Static SOQL in Apex: the object exists and every field path it names resolves. */
function checkSoql(model) {
  const problems = [];
  for (const apexClass of model.classes.values()) {
    for (const match of apexClass.text.matchAll(/\[\s*SELECT\b([\s\S]*?)\]/gi)) {
      const query = match[1];
      const from = query.match(/\bFROM\s+(\w+)/i)?.[1];
      const line = apexClass.text.slice(0, match.index).split('\n').length;
      const where = `${relative(apexClass.file)}:${line}`;
      if (!from || !objectExists(model, from)) {
        problems.push(`${where}: queries ${from}, which does not exist`);
        continue;
      }
      const withoutStrings = query.replace(/'(?:\\'|[^'])*'/g, "''").replace(/:\s*[\w.]+(\(\))?/g, ':bind');
      // An alias names a column of an aggregate query (`Status__c status, COUNT(Id) made`), not a field.
      const selectList = withoutStrings.split(/\bFROM\b/i)[0];
      const aliases = new Set(
        [...selectList.matchAll(/[\w)]\s+([A-Za-z_]\w*)\s*(?=,|$)/g)].map((alias) => alias[1]),
      );
      const tokens = withoutStrings.replace(/\bFROM\s+\w+/i, ' ').match(/[A-Za-z_][\w.]*/g) ?? [];
      for (const token of tokens) {
        if (SOQL_WORDS.has(token.toUpperCase()) || token === 'bind' || /^\d/.test(token)) continue;
        if (aliases.has(token)) continue;
        const problem = resolvePath(model, from, token);
        if (problem) problems.push(`${where}: ${token}: ${problem}`);
      }
    }
  }
  return problems;
}

function auraMethods(apexClass) {
  const methods = new Map();
  const pattern = /@AuraEnabled(\s*\(([^)]*)\))?\s+public\s+static\s+[\w<>, .]+?\s+(\w+)\s*\(([^)]*)\)/g;
  for (const match of apexClass.text.matchAll(pattern)) {
    const parameters = match[4]
      .split(',')
      .map((parameter) => parameter.trim().split(/\s+/).at(-1))
      .filter(Boolean);
    methods.set(match[3], { cacheable: /cacheable\s*=\s*true/i.test(match[2] ?? ''), parameters });
  }
  return methods;
}

/**
 * The parameter names a component passes to an imported Apex method, per call: the top-level keys of
 * the object in `method({ ... })` and in `@wire(method, { ... })`; none for `method()` or a bare wire.
 */
function argumentKeys(js, local) {
  const calls = [];
  const starts = new RegExp(
    `(?:@wire\\(${local}\\s*,\\s*\\{|\\b${local}\\(\\{)|(?:@wire\\(${local}\\)|\\b${local}\\(\\))`,
    'g',
  );
  for (const match of js.matchAll(starts)) {
    if (!match[0].endsWith('{')) {
      calls.push([]);
      continue;
    }
    const keys = [];
    let depth = 0;
    let segment = '';
    for (const char of js.slice(match.index + match[0].length)) {
      if (depth === 0 && (char === ',' || char === '}')) {
        const key = segment.split(':')[0].trim();
        if (key) keys.push(key);
        segment = '';
        if (char === '}') break;
        continue;
      }
      if ('{(['.includes(char)) depth++;
      if ('})]'.includes(char)) depth--;
      segment += char;
    }
    calls.push(keys.sort());
  }
  return calls;
}

/** Every Apex method a component imports exists, is callable, and gets the parameter names it declares. */
function checkComponents(model) {
  const problems = [];
  const knownFields = new Set();
  for (const object of model.objects.values()) {
    for (const field of object.fields.keys()) knownFields.add(field);
  }
  for (const component of model.components.values()) {
    const where = relative(path.join(component.dir, `${component.name}.js`));
    if (!component.js) problems.push(`${relative(component.dir)}: no ${component.name}.js`);
    if (!component.meta) problems.push(`${relative(component.dir)}: no ${component.name}.js-meta.xml`);
    else if (String(component.meta.apiVersion) !== API_VERSION) {
      problems.push(
        `${relative(component.metaFile)}: apiVersion ${component.meta.apiVersion}, the project uses ${API_VERSION}`,
      );
    }
    if (!component.js) continue;
    const imports = new Map();
    for (const match of component.js.matchAll(/import\s+(\w+)\s+from\s+'@salesforce\/apex\/(\w+)\.(\w+)'/g)) {
      imports.set(match[1], { className: match[2], method: match[3] });
    }
    for (const [local, { className, method }] of imports) {
      const apexClass = model.classes.get(className);
      const declared = apexClass && auraMethods(apexClass).get(method);
      if (!declared) {
        problems.push(`${where}: imports ${className}.${method}, which is not an @AuraEnabled static method`);
        continue;
      }
      const wire = new RegExp(`@wire\\(${local}\\b`).test(component.js);
      if (wire && !declared.cacheable)
        problems.push(`${where}: @wire(${local}) needs cacheable=true on ${className}.${method}`);
      const expected = [...declared.parameters].sort();
      for (const sent of argumentKeys(component.js, local)) {
        if (sent.join(',') !== expected.join(',')) {
          problems.push(`${where}: calls ${className}.${method} with (${sent}), it takes (${expected})`);
        }
      }
    }
    const source = `${component.js}\n${component.html ?? ''}`;
    for (const token of new Set(source.match(/\b[A-Za-z]\w*__[cr]\b/g) ?? [])) {
      const field = token.replace(/__r$/, '__c');
      if (!knownFields.has(field)) problems.push(`${where}: ${token} is not a field of the package`);
    }
  }
  return problems;
}

const SAMPLE_DATA = path.join(ROOT, 'scripts', 'data');

/** The sample data the scratch org and the local org load: every field exists, every value fits, every ref resolves. */
function checkSampleData(model) {
  const problems = [];
  // `sf data import tree` talks to a namespaced org, which names the package's components
  // `ns__Name__c`; the model (force-app) knows them by their local names.
  const namespace = JSON.parse(readFileSync(path.join(ROOT, 'sfdx-project.json'), 'utf8')).namespace ?? '';
  const prefix = namespace ? `${namespace}__` : '';
  const local = (name) => (prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const unprefixed = (name) =>
    prefix && !name.startsWith(prefix) && /__(c|e|mdt)$/.test(name) && !/^\w+__\w+__c$/.test(name);
  const planFile = path.join(SAMPLE_DATA, 'sample-data-plan.json');
  const saved = new Map();
  for (const step of JSON.parse(readFileSync(planFile, 'utf8'))) {
    for (const fileName of step.files) {
      const where = relative(path.join(SAMPLE_DATA, fileName));
      const { records } = JSON.parse(readFileSync(path.join(SAMPLE_DATA, fileName), 'utf8'));
      for (const record of records) {
        const { type: orgType, referenceId } = record.attributes ?? {};
        const type = local(orgType ?? '');
        if (unprefixed(orgType ?? ''))
          problems.push(
            `${where}: ${orgType} must be written ${prefix}${orgType}, as the namespaced org names it`,
          );
        if (orgType !== step.sobject) problems.push(`${where}: a ${type} record in the ${step.sobject} step`);
        if (!referenceId || saved.has(referenceId))
          problems.push(`${where}: missing or repeated referenceId ${referenceId}`);
        for (const [orgKey, value] of Object.entries(record)) {
          if (orgKey === 'attributes') continue;
          const key = local(orgKey);
          if (unprefixed(orgKey) && model.objects.get(type)?.fields.has(orgKey)) {
            problems.push(
              `${where}: ${referenceId}: ${orgKey} must be written ${prefix}${orgKey}, as the namespaced org names it`,
            );
          }
          if (!hasField(model, type, key)) {
            problems.push(`${where}: ${referenceId}: ${type}.${key} does not exist`);
            continue;
          }
          if (typeof value === 'string' && value.startsWith('@') && !saved.has(value.slice(1))) {
            problems.push(`${where}: ${referenceId}: ${key} refers to ${value}, which no earlier step saves`);
          }
          const field = model.objects.get(type)?.fields.get(key);
          const allowed = field?.values.map((entry) => entry.name) ?? [];
          const given = field?.type === 'MultiselectPicklist' ? String(value).split(';') : [String(value)];
          if (field && PICKLIST_TYPES.has(field.type) && given.some((entry) => !allowed.includes(entry))) {
            problems.push(`${where}: ${referenceId}: ${key} "${value}" is not one of ${allowed.join(', ')}`);
          }
          if (type === 'Opportunity' && key === 'StageName' && !STAGE_NAMES.includes(value)) {
            problems.push(`${where}: ${referenceId}: "${value}" is not a standard stage`);
          }
        }
        if (step.saveRefs !== false) saved.set(referenceId, type);
      }
    }
  }
  return problems;
}

/**
 * The package signs the service in through an external client app, not a connected app (new connected
 * apps cannot be created since Spring '26): the app header is packaged, its OAuth settings name it,
 * and no file holding OAuth secrets sits in the source.
 */
function checkExternalClientApps(model) {
  const problems = [];
  const withSuffix = (suffix) => model.allFiles.filter((file) => file.endsWith(suffix));
  for (const file of withSuffix('.connectedApp-meta.xml')) {
    problems.push(`${relative(file)}: ship an external client app instead of a connected app`);
  }
  for (const file of withSuffix('.ecaGlblOauth-meta.xml')) {
    problems.push(`${relative(file)}: global OAuth settings hold secrets; keep them out of source control`);
  }
  const apps = new Map(
    withSuffix('.eca-meta.xml').map((file) => [
      path.basename(file, '.eca-meta.xml'),
      { file, xml: parseXml(file).ExternalClientApplication ?? {} },
    ]),
  );
  if (apps.size === 0) problems.push('force-app has no external client app for the companion service');
  for (const [name, { file, xml }] of apps) {
    if (String(xml.distributionState) !== 'Packaged') {
      problems.push(
        `${relative(file)}: distributionState must be Packaged for ${name} to ship in the package`,
      );
    }
    if (!xml.label || !xml.contactEmail)
      problems.push(`${relative(file)}: an app needs a label and contactEmail`);
  }
  for (const file of withSuffix('.ecaOauth-meta.xml')) {
    const xml = parseXml(file).ExtlClntAppOauthSettings ?? {};
    if (!apps.has(String(xml.externalClientApplication))) {
      problems.push(
        `${relative(file)}: names external client app ${xml.externalClientApplication}, which does not exist`,
      );
    }
    const scopes = String(xml.commaSeparatedOauthScopes ?? '')
      .split(',')
      .map((scope) => scope.trim());
    if (!scopes.includes('Api')) problems.push(`${relative(file)}: the service needs the Api scope`);
    if (scopes.includes('Full'))
      problems.push(`${relative(file)}: the Full scope is more than the service needs`);
  }
  return problems;
}

/**
 * The scratch-org integration user is the one the admin guide describes: the API-only integration
 * profile, the Salesforce API Integration permission set licence, and the package's integration
 * permission set, which must exist.
 */
function checkIntegrationUserDefinition(model) {
  const file = path.join(ROOT, 'config', 'integration-user-def.json');
  const definition = JSON.parse(readFileSync(file, 'utf8'));
  const where = relative(file);
  const problems = [];
  if (definition.profileName !== 'Minimum Access - API Only Integrations') {
    problems.push(`${where}: the integration user's profile is "Minimum Access - API Only Integrations"`);
  }
  if (!(definition.permsetLicenses ?? []).includes('Salesforce API Integration')) {
    problems.push(`${where}: permsetLicenses needs "Salesforce API Integration"`);
  }
  if (!(definition.permsets ?? []).includes(INTEGRATION_PERMISSION_SET)) {
    problems.push(`${where}: permsets needs ${INTEGRATION_PERMISSION_SET}`);
  }
  for (const name of definition.permsets ?? []) {
    if (!model.permissionSets.has(name)) problems.push(`${where}: permission set ${name} does not exist`);
  }
  return problems;
}

const WRITTEN_FIELDS_MODULE = path.join(ROOT, 'companion-service/src/adapters/salesforce/written-fields.ts');

/** The integration permission set grants exactly what the companion service writes. */
async function checkIntegrationAccess(model) {
  let writtenFields;
  let suggestedOnly;
  let suggestOnlyObjects;
  try {
    ({
      WRITTEN_FIELDS: writtenFields,
      SUGGESTED_ONLY_FIELDS: suggestedOnly,
      SUGGEST_ONLY_OBJECTS: suggestOnlyObjects,
    } = await import(pathToFileURL(WRITTEN_FIELDS_MODULE).href));
  } catch (error) {
    return [
      `could not load ${relative(WRITTEN_FIELDS_MODULE)} (${error.message}); run with node --import tsx`,
    ];
  }
  // Contact details are suggested field by field; every policy field of a suggest-only object is.
  const everyField = Object.fromEntries(suggestOnlyObjects.map((object) => [object, '*']));
  return integrationAccessProblems(model, writtenFields, { ...suggestedOnly, ...everyField });
}

function checkServiceCredential(model) {
  const files = (suffix, root) =>
    model.allFiles
      .filter((file) => file.endsWith(suffix))
      .map((file) => ({
        name: path.basename(file, suffix),
        where: relative(file),
        xml: parseXml(file)[root] ?? {},
      }));
  return serviceCredentialProblems({
    namedCredentials: files('.namedCredential-meta.xml', 'NamedCredential'),
    externalCredentials: files('.externalCredential-meta.xml', 'ExternalCredential'),
    permissionSets: [...model.permissionSets.values()].map((set) => ({
      name: set.name,
      where: relative(set.file),
      xml: set.xml,
    })),
    integrationPermissionSet: INTEGRATION_PERMISSION_SET,
  });
}

const CHECKS = [
  ['XML is well-formed, sources have their meta files', checkSourcesHaveMeta],
  ['objects and fields', checkObjects],
  ['custom metadata records fit their types', checkCustomMetadataRecords],
  ['rules name fields, stages and values that exist', checkRuleReferences],
  ['permission sets', checkPermissionSets],
  ['integration user: what the service writes', checkIntegrationAccess],
  ['integration user definition (config)', checkIntegrationUserDefinition],
  ['tabs, app and layouts', checkTabsAppsLayouts],
  ['external client app, no connected app', checkExternalClientApps],
  ['named credential to the service, no secret', checkServiceCredential],
  ['flexipages', checkFlexipages],
  ['fields in Apex SOQL', checkSoql],
  ['components and the Apex they call', checkComponents],
  ['sample data for scratch and local orgs', checkSampleData],
];

const model = loadForceApp();
let failed = 0;
for (const [name, check] of CHECKS) {
  failed += (await timed(`metadata: ${name}`, () => check(model))).length;
}
process.exit(failed === 0 ? 0 : 1);
