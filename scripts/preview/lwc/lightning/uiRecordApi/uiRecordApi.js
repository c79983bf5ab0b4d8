import { recordUpdate } from 'preview/backend';

/** The preview's lightning/uiRecordApi: there is no record cache to refresh, so it notes which records. */
export function notifyRecordUpdateAvailable(recordIds) {
  recordUpdate(recordIds);
  return Promise.resolve();
}
