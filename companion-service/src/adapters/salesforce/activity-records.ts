import type { ActivityEntry } from '../../domain/activity/activity-entry.js';

/**
 * The Task or Event body a conversation is logged as. A logged conversation is done: the task is
 * Completed (so it counts for LastActivityDate, which takes the due date of closed tasks), the event
 * spans the meeting's day. TaskSubtype and EventSubtype are set when the activity is created and
 * never after: Salesforce does not let them be updated.
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-task.html
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-event.html
 */

/** What the org allows for activities, read with the rules (org-rules.ts). */
export interface ActivitySettings {
  /** Shared Activities is on: a task or event relates to many contacts (TaskWhoIds / EventWhoIds). */
  sharedActivities: boolean;
}

/** Every field the write-back sets on a Task or an Event, for the integration user's permission set. */
export const TASK_FIELDS = [
  'Subject',
  'ActivityDate',
  'Status',
  'TaskSubtype',
  'WhatId',
  'WhoId',
  'TaskWhoIds',
  'Description',
] as const;
export const EVENT_FIELDS = [
  'Subject',
  'ActivityDate',
  'IsAllDayEvent',
  'StartDateTime',
  'EndDateTime',
  'EventSubtype',
  'WhatId',
  'WhoId',
  'EventWhoIds',
  'Description',
] as const;

export type ActivityBody = Record<string, string | boolean | null | string[]>;

export function activityBody(
  entry: ActivityEntry,
  whatId: string | null,
  settings: ActivitySettings,
  creating: boolean,
): ActivityBody {
  const common: ActivityBody = {
    Subject: entry.subject,
    ActivityDate: entry.date,
    WhatId: whatId,
    WhoId: entry.whoId,
    Description: entry.description,
  };
  const whoIds = entry.kind === 'Task' ? 'TaskWhoIds' : 'EventWhoIds';
  if (settings.sharedActivities) common[whoIds] = entry.contactIds;
  if (entry.kind === 'Task') {
    return { ...common, Status: 'Completed', ...(creating ? { TaskSubtype: entry.subtype } : {}) };
  }
  const subtype: ActivityBody = creating ? { EventSubtype: entry.subtype } : {};
  if (entry.times) {
    // A timed event's day follows its start (object-event.html, ActivityDate): only the times are sent.
    const timed = Object.fromEntries(Object.entries(common).filter(([field]) => field !== 'ActivityDate'));
    return {
      ...timed,
      IsAllDayEvent: false,
      StartDateTime: entry.times.start,
      EndDateTime: entry.times.end,
      ...subtype,
    };
  }
  // Only the day is known: an all-day event on it, which Salesforce keeps at midnight GMT.
  const midnight = `${entry.date}T00:00:00.000Z`;
  return { ...common, IsAllDayEvent: true, StartDateTime: midnight, EndDateTime: midnight, ...subtype };
}

/** Salesforce's key prefixes tell a task's id from an event's. */
export const kindOfActivityId = (id: string): 'Task' | 'Event' | null =>
  id.startsWith('00T') ? 'Task' : id.startsWith('00U') ? 'Event' : null;
