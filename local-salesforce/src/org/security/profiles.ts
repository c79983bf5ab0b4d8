import {
  isPermissionableStandardField,
  PERMISSIONABLE_STANDARD_FIELDS,
} from '@pipeline-scribe/force-app-model';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import type { Grant, ObjectPermission } from './grants.js';

/**
 * The standard profiles the local org's users have, as small grant tables. A real org's standard
 * profiles hold hundreds of settings; these keep only what the objects of the local org touch, each
 * one as a new org ships it:
 *
 * - System Administrator: View All Data and Modify All Data, so full access to every object and field
 *   (an installed package's fields are granted to admins at install), and Manage Users.
 *   https://help.salesforce.com/s/articleView?id=platform.standard_profiles.htm&language=en_US&type=5
 * - Standard User: Read, Create, Edit and Delete on Account, Contact and Opportunity (and so, through
 *   the opportunity, on OpportunityContactRole), Edit Tasks and Edit Events, read and edit on the
 *   standard fields of those objects, and nothing on the package's objects and fields: a managed
 *   package installed "for admins only" reaches other users only through its permission sets.
 * - Minimum Access - API Only Integrations: API access and nothing else; every object and field the
 *   integration user needs comes from its permission set.
 *   https://help.salesforce.com/s/articleView?id=platform.integration_user.htm&language=en_US&type=5
 */

export const SYSTEM_ADMINISTRATOR = 'System Administrator';
export const STANDARD_USER = 'Standard User';
export const API_ONLY_INTEGRATIONS = 'Minimum Access - API Only Integrations';

const FULL: ObjectPermission = {
  read: true,
  create: true,
  edit: true,
  delete: true,
  viewAll: false,
  modifyAll: false,
};

/**
 * Whether the field has field-level security at all: custom fields do (unless required or the detail
 * side of a master-detail relationship, which are always visible), the standard fields the model of
 * the standard objects lists as permissionable do, and fields of custom metadata types and platform events do not (access is per type).
 */
export function hasFieldSecurity(object: ObjectDef, field: FieldDef): boolean {
  if (object.kind === 'cmdt' || object.kind === 'event') return false;
  if (field.name.endsWith('__c')) {
    const required = !field.nillable && !field.defaultedOnCreate;
    return !required && !field.masterDetail;
  }
  return isPermissionableStandardField(object.name, field.name);
}

function grant(name: string, overrides: Partial<Grant>): Grant {
  return {
    name,
    label: name,
    kind: 'profile',
    objects: new Map(),
    fields: new Map(),
    userPermissions: new Set(),
    customMetadataTypes: new Set(),
    ...overrides,
  };
}

export function standardProfiles(): Map<string, Grant> {
  const standardFields = new Map(
    Object.entries(PERMISSIONABLE_STANDARD_FIELDS).flatMap(([object, fields]) =>
      fields.map((f) => [`${object}.${f}`.toLowerCase(), { readable: true, editable: true }] as const),
    ),
  );
  return new Map([
    [
      SYSTEM_ADMINISTRATOR,
      grant(SYSTEM_ADMINISTRATOR, {
        userPermissions: new Set([
          'ApiEnabled',
          'ViewAllData',
          'ModifyAllData',
          'ManageUsers',
          'CustomizeApplication',
          'ViewSetup',
          'EditTask',
          'EditEvent',
        ]),
        allFields: true,
      }),
    ],
    [
      STANDARD_USER,
      grant(STANDARD_USER, {
        objects: new Map(['account', 'contact', 'opportunity'].map((o) => [o, { ...FULL }])),
        fields: standardFields,
        userPermissions: new Set(['ApiEnabled', 'EditTask', 'EditEvent']),
      }),
    ],
    [API_ONLY_INTEGRATIONS, grant(API_ONLY_INTEGRATIONS, { userPermissions: new Set(['ApiEnabled']) })],
  ]);
}
