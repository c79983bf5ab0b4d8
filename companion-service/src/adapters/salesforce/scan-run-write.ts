import type { SalesforceApi } from './salesforce-client.js';
import { writeRecords, type WriteResult } from './pipeline-write.js';

/**
 * The Scan_Run__c record of one full pipeline scan: what the admin's setup page reads as "the last
 * scan and its result". Upserted on Run_Id__c, so a scan retried with the same run id keeps one record.
 */

export const SCAN_RUN_FIELDS = [
  'Run_Id__c',
  'As_Of_Date__c',
  'Started_At__c',
  'Finished_At__c',
  'Result__c',
  'Deals_Read__c',
  'Deals_Scored__c',
  'Records_Written__c',
  'Failures__c',
  'Failure_Summary__c',
  'API_Calls__c',
] as const;

/** The values of Scan_Run__c.Result__c. */
export type ScanResult = 'Succeeded' | 'Completed With Failures' | 'Stopped' | 'Failed';

export interface ScanRunRecord {
  runId: string;
  asOf: string;
  startedAt: string;
  finishedAt: string;
  result: ScanResult;
  /** Null when the scan failed before it read the deals. */
  dealsRead: number | null;
  dealsScored: number | null;
  recordsWritten: number;
  failures: number;
  failureSummary: string | null;
  apiCalls: number;
}

const LONG_TEXT = 32_768;
const clip = (text: string | null) =>
  text === null || text.length <= LONG_TEXT ? text : text.slice(0, LONG_TEXT - 1) + '…';

/**
 * Writes the run in one call. It is sent even after Salesforce stopped taking the scan's calls: a
 * stopped scan is what the admin most needs to see, and a refused call costs the org nothing.
 */
export function writeScanRun(api: SalesforceApi, run: ScanRunRecord): Promise<WriteResult> {
  return writeRecords(api, 'Scan_Run__c', { kind: 'upsert', externalIdField: 'Run_Id__c' }, [
    {
      key: run.runId,
      fields: {
        As_Of_Date__c: run.asOf,
        Started_At__c: run.startedAt,
        Finished_At__c: run.finishedAt,
        Result__c: run.result,
        Deals_Read__c: run.dealsRead,
        Deals_Scored__c: run.dealsScored,
        Records_Written__c: run.recordsWritten,
        Failures__c: run.failures,
        Failure_Summary__c: clip(run.failureSummary),
        API_Calls__c: run.apiCalls,
      },
    },
  ]);
}
