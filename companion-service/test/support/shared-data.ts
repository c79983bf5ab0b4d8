import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The public data sets shared beside the repository (../shared/data), when this machine has them. */
export const SHARED_DATA = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/data',
);
export const MAVEN_PIPELINE = path.join(SHARED_DATA, 'maven-crm/sales_pipeline.csv');
export const DEV_ORG = path.join(SHARED_DATA, 'salesforce-dev-org');
export const withSharedData = existsSync(MAVEN_PIPELINE) && existsSync(DEV_ORG);
