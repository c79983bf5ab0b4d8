// What the integration user needs, compared with what its permission set grants: every field the
// companion service writes (companion-service/src/adapters/salesforce/written-fields.ts) readable and
// editable, nothing else editable, the object permissions those writes need, and record access to the
// records it updates while a rep owns them. Pure functions over the package's model
// (@pipeline-scribe/force-app-model), so a test can hand them a model with a grant removed.
import { hasField, takesFieldPermission } from '@pipeline-scribe/force-app-model';
import { relative } from './force-app-files.mjs';

export const INTEGRATION_PERMISSION_SET = 'Pipeline_Scribe_Integration';

/**
 * Objects whose records the service updates while someone else owns them, and why. A private
 * sharing model then needs Modify All (or Public Read/Write sharing on a custom object).
 * Opportunity's sharing is the subscriber's: Private unless they opened it, so it is assumed Private.
 */
export const UPDATED_WHILE_OTHERS_OWN = {
  Opportunity: 'the scan updates the computed fields of every rep’s deal',
  Next_Best_Action__c:
    'actions are owned by the deal’s owner, so the rep’s queue shows them, and the scan updates them',
  Conversation__c:
    'each conversation is owned by the deal’s owner (or the rep who captured it) and the service fills in its notes',
  Suggestion__c:
    'each suggestion is owned by the deal’s owner, so only the deal’s team reads it, and the service marks stale ones',
  Field_Provenance__c:
    'each provenance record is owned by the deal’s owner, so the rep can revert what it cites, and a retry upserts it',
  Pipeline_Review__c:
    'each weekly review is owned by its rep (or its manager, for the team) so sharing decides who reads it, and the scan updates the week’s review',
};
/**
 * Tasks and events take no object permissions: the Edit Tasks and Edit Events user permissions let a
 * user create and edit them.
 * https://help.salesforce.com/s/articleView?id=platform.users_profiles_object_perms.htm&language=en_US&type=5
 */
const ACTIVITY_USER_PERMISSIONS = { Task: 'EditTask', Event: 'EditEvent' };
const STANDARD_SHARING_ASSUMED = { Opportunity: 'Private' };
const OPEN_SHARING = new Set(['ReadWrite', 'ReadWriteTransfer', 'FullAccess']);

/**
 * `suggestedOnly`: what a policy names that the service only ever suggests, by object: a list of fields
 * (SUGGESTED_ONLY_FIELDS, the contact details) or '*' for every policy field of the object
 * (SUGGEST_ONLY_OBJECTS, the company facts on Account). The integration user must read them, to
 * compare, and must not edit them.
 */
export function integrationAccessProblems(model, writtenFields, suggestedOnly = {}) {
  const problems = [];
  const permissionSet = model.permissionSets.get(INTEGRATION_PERMISSION_SET);
  if (!permissionSet) return [`${INTEGRATION_PERMISSION_SET}: the integration permission set does not exist`];
  const where = INTEGRATION_PERMISSION_SET;
  const objectAccess = new Map(permissionSet.objectPermissions.map((a) => [a.object, a]));
  const fieldAccess = new Map(permissionSet.fieldPermissions.map((a) => [a.field, a]));
  const written = new Set();

  for (const [objectName, fields] of Object.entries(writtenFields)) {
    const access = objectAccess.get(objectName);
    const isCustom = model.objects.get(objectName)?.kind === 'custom';
    const activityPermission = ACTIVITY_USER_PERMISSIONS[objectName];
    if (activityPermission) {
      if (!permissionSet.userPermissions.includes(activityPermission)) {
        problems.push(
          `${where}: the service logs conversations as ${objectName} records; enable the ${activityPermission} user permission`,
        );
      }
    } else if (!access || !access.allowRead || !access.allowEdit) {
      problems.push(`${where}: the service writes ${objectName}; grant Read and Edit on it`);
    } else if (isCustom && !access.allowCreate) {
      problems.push(`${where}: the service creates ${objectName} records; grant Create on it`);
    } else if (!isCustom && access.allowCreate) {
      problems.push(`${where}: the service only updates ${objectName}; Create on it is more than it needs`);
    }
    const reason = UPDATED_WHILE_OTHERS_OWN[objectName];
    if (reason && access) {
      const sharing =
        STANDARD_SHARING_ASSUMED[objectName] ?? (model.objects.get(objectName)?.sharingModel || 'Private');
      if (!OPEN_SHARING.has(sharing) && !access.modifyAllRecords) {
        problems.push(
          `${where}: ${objectName} sharing is ${sharing} and ${reason}; grant Modify All on ${objectName} (or make its sharing Public Read/Write)`,
        );
      }
    }
    for (const fieldName of fields) {
      const name = `${objectName}.${fieldName}`;
      written.add(name);
      if (!hasField(model, objectName, fieldName)) {
        problems.push(`${where}: the service writes ${name}, which force-app does not define`);
        continue;
      }
      if (model.objects.get(objectName)?.fields.get(fieldName)?.formula) {
        problems.push(`${where}: the service writes ${name}, a formula field nobody can write`);
        continue;
      }
      if (!takesFieldPermission(model, objectName, fieldName)) continue;
      const grant = fieldAccess.get(name);
      if (!grant || !grant.readable || !grant.editable) {
        problems.push(`${where}: the service writes ${name}; make it readable and editable`);
      }
    }
  }
  for (const [name, grant] of fieldAccess) {
    if (grant.editable && !written.has(name)) {
      problems.push(
        `${where}: ${name} is editable but the service never writes it; make it read-only (least privilege)`,
      );
    }
  }
  for (const record of model.records.filter((r) => r.type === 'Field_Policy')) {
    const value = (field) => record.entries.find((v) => v.field === field && !v.nil)?.text;
    const objectName = value('Object_Name__c');
    const fieldName = value('Field_Name__c');
    const listed = suggestedOnly[objectName];
    if (listed === '*' || (listed ?? []).includes(fieldName)) {
      const grant = fieldAccess.get(`${objectName}.${fieldName}`);
      if (takesFieldPermission(model, objectName, fieldName) && !grant?.readable) {
        problems.push(
          `${where}: the service compares ${objectName}.${fieldName} with what a conversation says (${relative(record.file)}); make it readable`,
        );
      }
      continue;
    }
    if (!(writtenFields[objectName] ?? []).includes(fieldName)) {
      problems.push(
        `${relative(record.file)}: a policy lets the service apply ${objectName}.${fieldName}; add it to WRITTEN_FIELDS`,
      );
    }
  }
  return problems;
}
