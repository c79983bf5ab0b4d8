// The modules the preview build makes up from force-app: each Apex method, schema reference and custom
// label a component imports, the jest fixtures the scenarios reuse, and the flexipages' layouts.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FORCE_APP, listFiles } from '../lib/force-app-files.mjs';
import { parseXml } from '@pipeline-scribe/force-app-model';

const VIRTUAL = '\0preview:';
const FIXTURES = 'virtual:jest-fixtures';
const FLEXIPAGES = 'virtual:flexipages';

/**
 * The user settings (`@salesforce/i18n/*`) the base components are built with: an en-US user in a USD
 * org. The package's components read the same modules, so a formatted amount agrees with its neighbours.
 */
const I18N_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('lightning-base-components/package.json')),
  'scopedImports',
);

/** Every JSON fixture the jest tests use, keyed `<component>/<file name without .json>`. */
function jestFixtures() {
  const fixtures = {};
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith('.json') && path.basename(dir) === 'data') {
        const component = full.split(path.sep).at(-4);
        fixtures[`${component}/${path.basename(entry.name, '.json')}`] = JSON.parse(
          readFileSync(full, 'utf8'),
        );
      }
    }
  };
  walk(FORCE_APP);
  return fixtures;
}

/** Custom label values from force-app's CustomLabels files. */
function customLabels() {
  const labels = new Map();
  for (const file of listFiles(FORCE_APP, (name) => name.endsWith('.labels-meta.xml'))) {
    for (const label of [parseXml(file).CustomLabels?.labels ?? []].flat()) {
      labels.set(String(label.fullName), String(label.value));
    }
  }
  return labels;
}

/** The design properties each component declares in its js-meta.xml, by name, with their types. */
function designPropertyTypes(metaFile) {
  const types = new Map();
  for (const config of parseXml(metaFile).LightningComponentBundle?.targetConfigs?.targetConfig ?? []) {
    for (const property of config.property ?? []) types.set(property['@name'], property['@type']);
  }
  return types;
}

/** A flexipage property's value as the page hands it to the component: typed as the component declares. */
function propertyValue(property, types) {
  if (property.valueList) return [property.valueList.valueListItems ?? []].flat().map((item) => item.value);
  const [text] = [property.value].flat().map(String);
  const type = types?.get(String(property.name));
  if (type === 'Integer') return Number(text);
  if (type === 'Boolean') return text === 'true';
  return text;
}

/**
 * The flexipages' regions as the gallery lays them out: for each page, its template and, per region,
 * the components in order with the properties the page sets. The package's own components come with
 * their constructors (rendered with lwc:is); standard ones only by name.
 */
function flexipagesModule() {
  const components = new Map(
    listFiles(FORCE_APP, (name) => name.endsWith('.js-meta.xml')).map((file) => [
      path.basename(path.dirname(file)),
      designPropertyTypes(file),
    ]),
  );
  const used = new Set();
  const pages = listFiles(FORCE_APP, (name) => name.endsWith('.flexipage-meta.xml')).map((file) => {
    const page = parseXml(file).FlexiPage;
    const regions = {};
    for (const region of page.flexiPageRegions ?? []) {
      if (String(region.type) !== 'Region') continue;
      regions[region.name] = (region.itemInstances ?? [])
        .map((item) => item.componentInstance)
        .filter(Boolean)
        .map((instance) => {
          const name = String(instance.componentName);
          if (components.has(name)) used.add(name);
          return {
            key: String(instance.identifier ?? name),
            name,
            properties: Object.fromEntries(
              (instance.componentInstanceProperties ?? []).map((property) => [
                property.name,
                propertyValue(property, components.get(name)),
              ]),
            ),
          };
        });
    }
    return {
      name: path.basename(file, '.flexipage-meta.xml'),
      label: String(page.masterLabel),
      type: String(page.type),
      objectName: page.sobjectType ? String(page.sobjectType) : undefined,
      template: String(page.template.name),
      regions,
    };
  });
  const imports = [...used].map((name) => `import ${name} from 'c/${name}';`).join('\n');
  return `${imports}
const CONSTRUCTORS = { ${[...used].join(', ')} };
const PAGES = ${JSON.stringify(pages)};
for (const page of PAGES) {
  for (const items of Object.values(page.regions)) {
    for (const item of items) item.ctor = CONSTRUCTORS[item.name];
  }
}
export default PAGES;
`;
}

/**
 * Resolves the platform-only import families: `@salesforce/apex` (refreshApex) to the preview's Apex
 * runtime, each `@salesforce/apex/Class.method` to a callable wire adapter answered by the scenario,
 * `@salesforce/schema/Object.Field` to its field reference, `@salesforce/label/c.Name` to the label's
 * value in force-app and `@salesforce/i18n/*` to the base components' user settings (I18N_DIR); and the made-up modules `virtual:jest-fixtures` and `virtual:flexipages`.
 */
export function platformImports({ apexRuntime }) {
  const labels = customLabels();
  return {
    name: 'pipeline-scribe-preview-platform',
    resolveId(source) {
      if (source === '@salesforce/apex') return apexRuntime;
      if (source.startsWith('@salesforce/i18n/')) {
        const setting = path.join(
          I18N_DIR,
          `@salesforce-i18n-${source.slice('@salesforce/i18n/'.length)}.js`,
        );
        return existsSync(setting) ? setting : null;
      }
      if (
        source.startsWith('@salesforce/apex/') ||
        source.startsWith('@salesforce/schema/') ||
        source.startsWith('@salesforce/label/c.') ||
        source === FIXTURES ||
        source === FLEXIPAGES
      ) {
        return VIRTUAL + source;
      }
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      if (source === FIXTURES) return `export default ${JSON.stringify(jestFixtures())};`;
      if (source === FLEXIPAGES) return flexipagesModule();
      if (source.startsWith('@salesforce/apex/')) {
        const method = source.slice('@salesforce/apex/'.length);
        return `import { apexMethod } from ${JSON.stringify(apexRuntime)};\nexport default apexMethod(${JSON.stringify(method)});`;
      }
      if (source.startsWith('@salesforce/schema/')) {
        const [objectApiName, ...fieldPath] = source.slice('@salesforce/schema/'.length).split('.');
        const reference = fieldPath.length
          ? { objectApiName, fieldApiName: fieldPath.join('.') }
          : { objectApiName };
        return `export default ${JSON.stringify(reference)};`;
      }
      const name = source.slice('@salesforce/label/c.'.length);
      if (!labels.has(name)) {
        this.error(`${source}: no custom label named "${name}" in force-app; add it to a CustomLabels file.`);
      }
      return `export default ${JSON.stringify(labels.get(name))};`;
    },
  };
}
