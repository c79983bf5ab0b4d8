// Reads force-app (source format) into one model of what the package defines, for the consistency
// checks that `sf project convert source` does not make.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { FORCE_APP, listFiles } from './force-app-files.mjs';
import {
  CUSTOM_METADATA_STANDARD,
  CUSTOM_OBJECT_STANDARD,
  PLATFORM_EVENT_STANDARD,
  STANDARD_OBJECTS,
} from './standard-schema.mjs';

const ALWAYS_ARRAYS = new Set([
  'values',
  'value',
  'fieldPermissions',
  'objectPermissions',
  'classAccesses',
  'tabSettings',
  'customMetadataTypeAccesses',
  'applicationVisibilities',
  'userPermissions',
  'flexiPageRegions',
  'itemInstances',
  'componentInstanceProperties',
  'valueListItems',
  'fieldInstanceProperties',
  'tabs',
  'actionOverrides',
  'layoutSections',
  'layoutColumns',
  'layoutItems',
  'target',
  'targetConfig',
  'object',
  'property',
  'columns',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) => ALWAYS_ARRAYS.has(name),
});

/** The parsed file, or an empty document when it is not well-formed (the check reports that itself). */
export function parseXml(file) {
  try {
    return parser.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

const kindOf = (objectName) => {
  if (objectName.endsWith('__mdt')) return 'cmdt';
  if (objectName.endsWith('__e')) return 'event';
  if (objectName.endsWith('__c')) return 'custom';
  return 'standard';
};

function baseSchema(objectName) {
  switch (kindOf(objectName)) {
    case 'cmdt':
      return CUSTOM_METADATA_STANDARD;
    case 'event':
      return PLATFORM_EVENT_STANDARD;
    case 'custom':
      return CUSTOM_OBJECT_STANDARD;
    default:
      return STANDARD_OBJECTS[objectName] ?? { fields: [], relationships: {} };
  }
}

function picklistValues(field) {
  const definition = field.valueSet?.valueSetDefinition;
  return (definition?.value ?? []).map((value) => ({
    name: String(value.fullName),
    isDefault: String(value.default) === 'true',
  }));
}

function loadObjects() {
  const objects = new Map();
  const objectDirs = listFiles(FORCE_APP, () => true)
    .map((file) => file.split(path.sep))
    .filter((parts) => parts.includes('objects'))
    .map((parts) => parts.slice(0, parts.lastIndexOf('objects') + 2).join(path.sep));
  for (const dir of [...new Set(objectDirs)]) {
    const name = path.basename(dir);
    if (!objects.has(name)) {
      const base = baseSchema(name);
      objects.set(name, {
        name,
        kind: kindOf(name),
        objectFiles: [],
        definition: null,
        standardFields: new Set(base.fields),
        standardRelationships: base.relationships,
        permissionable: new Set(STANDARD_OBJECTS[name]?.permissionable ?? []),
        fields: new Map(),
        fieldFiles: [],
        otherFiles: [],
      });
    }
    const object = objects.get(name);
    const objectFile = path.join(dir, `${name}.object-meta.xml`);
    if (existsSync(objectFile)) {
      object.objectFiles.push(objectFile);
      object.definition = parseXml(objectFile).CustomObject ?? {};
    }
    const fieldsDir = path.join(dir, 'fields');
    if (existsSync(fieldsDir)) {
      for (const entry of readdirSync(fieldsDir)) object.fieldFiles.push(path.join(fieldsDir, entry));
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'fields') {
        for (const file of listFiles(path.join(dir, entry.name), () => true)) object.otherFiles.push(file);
      }
    }
  }
  for (const object of objects.values()) {
    for (const file of object.fieldFiles) {
      if (!file.endsWith('.field-meta.xml')) continue;
      const field = parseXml(file).CustomField ?? {};
      object.fields.set(String(field.fullName), {
        file,
        fileName: path.basename(file, '.field-meta.xml'),
        fullName: String(field.fullName),
        type: String(field.type ?? (field.formula ? 'Formula' : '')),
        formula: field.formula === undefined ? null : String(field.formula),
        required: String(field.required) === 'true',
        referenceTo: field.referenceTo === undefined ? null : String(field.referenceTo),
        relationshipName: field.relationshipName === undefined ? null : String(field.relationshipName),
        values: picklistValues(field),
        raw: field,
      });
    }
  }
  return objects;
}

function loadCustomMetadataRecords() {
  return listFiles(FORCE_APP, (name) => name.endsWith('.md-meta.xml')).map((file) => {
    const base = path.basename(file, '.md-meta.xml');
    const dot = base.indexOf('.');
    const record = parseXml(file).CustomMetadata ?? {};
    return {
      file,
      type: dot > 0 ? `${base.slice(0, dot)}__mdt` : null,
      developerName: dot > 0 ? base.slice(dot + 1) : base,
      label: record.label === undefined ? '' : String(record.label),
      values: (record.values ?? []).map((entry) => {
        const value = Array.isArray(entry.value) ? entry.value[0] : entry.value;
        const attributes = typeof value === 'object' && value !== null ? value : {};
        return {
          field: String(entry.field),
          nil: attributes['@xsi:nil'] === 'true',
          xsiType: attributes['@xsi:type'] ?? null,
          text:
            typeof value === 'object' && value !== null ? String(value['#text'] ?? '') : String(value ?? ''),
        };
      }),
    };
  });
}

function loadApex(extension) {
  const sources = new Map();
  for (const file of listFiles(
    FORCE_APP,
    (name) => name.endsWith(extension) || name.endsWith(`${extension}-meta.xml`),
  )) {
    const isMeta = file.endsWith('-meta.xml');
    const name = path.basename(file).replace(`${extension}-meta.xml`, '').replace(extension, '');
    const entry = sources.get(name) ?? { name, file: null, meta: null, text: '' };
    if (isMeta) entry.meta = file;
    else {
      entry.file = file;
      entry.text = readFileSync(file, 'utf8');
    }
    sources.set(name, entry);
  }
  return sources;
}

function loadComponents() {
  const components = new Map();
  for (const lwcDir of listFiles(FORCE_APP, () => true)
    .map((file) => path.dirname(path.dirname(file)))
    .filter((dir) => path.basename(dir) === 'lwc')) {
    for (const entry of readdirSync(lwcDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || components.has(entry.name)) continue;
      const dir = path.join(lwcDir, entry.name);
      const js = path.join(dir, `${entry.name}.js`);
      const html = path.join(dir, `${entry.name}.html`);
      const meta = path.join(dir, `${entry.name}.js-meta.xml`);
      components.set(entry.name, {
        name: entry.name,
        dir,
        js: existsSync(js) ? readFileSync(js, 'utf8') : null,
        html: existsSync(html) ? readFileSync(html, 'utf8') : null,
        meta: existsSync(meta) ? parseXml(meta).LightningComponentBundle : null,
        metaFile: meta,
      });
    }
  }
  return components;
}

function loadNamed(suffix, root) {
  return new Map(
    listFiles(FORCE_APP, (name) => name.endsWith(suffix)).map((file) => [
      path.basename(file, suffix),
      { file, xml: parseXml(file)[root] ?? {} },
    ]),
  );
}

export function loadModel() {
  return {
    objects: loadObjects(),
    records: loadCustomMetadataRecords(),
    classes: loadApex('.cls'),
    triggers: loadApex('.trigger'),
    components: loadComponents(),
    permissionSets: loadNamed('.permissionset-meta.xml', 'PermissionSet'),
    tabs: loadNamed('.tab-meta.xml', 'CustomTab'),
    applications: loadNamed('.app-meta.xml', 'CustomApplication'),
    flexipages: loadNamed('.flexipage-meta.xml', 'FlexiPage'),
    layouts: loadNamed('.layout-meta.xml', 'Layout'),
    allFiles: listFiles(FORCE_APP, () => true),
  };
}

/** Whether object.field exists, in force-app or in the standard schema. */
export function hasField(model, objectName, fieldName) {
  const object = model.objects.get(objectName);
  if (object) return object.fields.has(fieldName) || object.standardFields.has(fieldName);
  const standard = STANDARD_OBJECTS[objectName];
  return Boolean(standard?.fields.includes(fieldName));
}

export function objectExists(model, objectName) {
  return model.objects.has(objectName) || objectName in STANDARD_OBJECTS;
}

/**
 * Resolves a field path such as Conversation__r.Opportunity__r.Account.Name from an object, returning
 * null when it holds, or what is wrong.
 */
export function resolvePath(model, objectName, fieldPath) {
  const parts = fieldPath.split('.');
  let current = objectName;
  for (let i = 0; i < parts.length - 1; i++) {
    const relationship = parts[i];
    const next = relationshipTarget(model, current, relationship);
    if (!next) return `${current} has no relationship ${relationship}`;
    current = next;
  }
  const field = parts.at(-1);
  return hasField(model, current, field) ? null : `${current} has no field ${field}`;
}

function relationshipTarget(model, objectName, relationship) {
  const object = model.objects.get(objectName);
  const standard = object?.standardRelationships ?? STANDARD_OBJECTS[objectName]?.relationships ?? {};
  if (standard[relationship]) return standard[relationship];
  if (relationship.endsWith('__r') && object) {
    const lookup = object.fields.get(relationship.replace(/__r$/, '__c'));
    return lookup?.referenceTo ?? null;
  }
  return null;
}
