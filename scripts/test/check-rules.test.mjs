// The rules of the offline force-app checks, proved on small fixtures: a rule that flags nothing
// would pass every project, so each one is shown to catch what it is for and to pass what is fine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parallelSetupDmlProblems } from '../lib/parallel-setup-dml.mjs';
import { INTEGRATION_PERMISSION_SET, integrationAccessProblems } from '../lib/integration-access.mjs';
import { loadForceApp, parseXml } from '@pipeline-scribe/force-app-model';
import { serviceCredentialProblems } from '../lib/service-credential.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(here, 'fixtures', 'parallel-setup-dml');
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.cls'))
  .map((name) => ({
    name: path.basename(name, '.cls'),
    file: name,
    text: readFileSync(path.join(FIXTURES, name), 'utf8'),
  }));
const problemsFor = (className) =>
  parallelSetupDmlProblems(fixtures).filter((problem) => problem.startsWith(`${className}.cls:`));

test('a parallel test that creates a user through a factory method is refused, with the path', () => {
  const [problem, ...rest] = problemsFor('ParallelWithUserTest');
  assert.equal(rest.length, 0);
  assert.match(problem, /writes User through FixtureFactory\.createUser/);
  assert.match(problem, /IsParallel=true/);
});

test('a parallel test that inserts a Group itself is refused', () => {
  assert.match(problemsFor('ParallelWithGroupTest')[0] ?? '', /writes Group/);
});

test('a user made in a field initializer, through an instance of the factory, is refused too', () => {
  assert.match(
    problemsFor('ParallelWithUserFieldTest')[0] ?? '',
    /<initializers> writes User through FixtureFactory\.createUserFromInstance → FixtureFactory\.createUser/,
  );
});

test('a parallel test that writes only records passes', () => {
  assert.deepEqual(problemsFor('ParallelWithoutSetupTest'), []);
});

test('a test that is not parallel may create users and assign permission sets', () => {
  assert.deepEqual(problemsFor('SerialWithUserTest'), []);
  assert.deepEqual(problemsFor('FixtureFactory'), []);
});

test('Database.insert of permission set assignments counts as setup DML', () => {
  const text = `@IsTest(IsParallel=true)
private class AssignsTest {
  @IsTest
  static void assigns() {
    FixtureFactory.assignPermissionSet(null, null);
  }
}`;
  const problems = parallelSetupDmlProblems([
    ...fixtures,
    { name: 'AssignsTest', file: 'AssignsTest.cls', text },
  ]).filter((p) => p.startsWith('AssignsTest.cls:'));
  assert.match(
    problems[0] ?? '',
    /writes PermissionSetAssignment through FixtureFactory\.assignPermissionSet/,
  );
});

// The integration permission set against what the service writes, on the real force-app model.
const WRITTEN = {
  Opportunity: [
    'Risk_Score__c',
    'NextStep',
    'StageName',
    'Budget__c',
    'Budget_Range__c',
    'CloseDate',
    'Competitors__c',
    'TotalOpportunityQuantity',
    'Use_Case__c',
    'Decision_Timeline__c',
  ],
  Next_Best_Action__c: ['OwnerId', 'Status__c'],
};
// Contact details are only suggested (companion-service SUGGESTED_ONLY_FIELDS): read, never edited.
const SUGGESTED = { Contact: ['Title', 'Email', 'Phone', 'MobilePhone'], Account: '*' };
const withIntegration = (change) => {
  const model = loadForceApp();
  const set = structuredClone(model.permissionSets.get(INTEGRATION_PERMISSION_SET));
  change(set);
  model.permissionSets.set(INTEGRATION_PERMISSION_SET, set);
  return model;
};
const onlyWritten = (set) => {
  set.fieldPermissions = set.fieldPermissions.filter((grant) => {
    const [objectName, fieldName] = grant.field.split('.');
    return !grant.editable || (WRITTEN[objectName] ?? []).includes(fieldName);
  });
};

test('the integration check passes when every written field is granted and nothing more', () => {
  assert.deepEqual(integrationAccessProblems(withIntegration(onlyWritten), WRITTEN, SUGGESTED), []);
});

test('the integration check catches a written field that is not editable', () => {
  const model = withIntegration((set) => {
    onlyWritten(set);
    set.fieldPermissions = set.fieldPermissions.filter((g) => g.field !== 'Opportunity.Risk_Score__c');
  });
  assert.deepEqual(integrationAccessProblems(model, WRITTEN, SUGGESTED), [
    `${INTEGRATION_PERMISSION_SET}: the service writes Opportunity.Risk_Score__c; make it readable and editable`,
  ]);
});

test('the integration check asks for Edit Tasks when the service logs conversations as tasks', () => {
  const written = { ...WRITTEN, Task: ['Subject', 'Description'] };
  const model = withIntegration((set) => {
    set.fieldPermissions = set.fieldPermissions.filter((grant) => {
      const [objectName, fieldName] = grant.field.split('.');
      return !grant.editable || (written[objectName] ?? []).includes(fieldName);
    });
    set.userPermissions = set.userPermissions.filter((p) => p !== 'EditTask');
  });
  assert.deepEqual(integrationAccessProblems(model, written, SUGGESTED), [
    `${INTEGRATION_PERMISSION_SET}: the service logs conversations as Task records; enable the EditTask user permission`,
  ]);
});

test('the integration check catches an editable field the service never writes', () => {
  const problems = integrationAccessProblems(
    withIntegration(() => {}),
    WRITTEN,
    SUGGESTED,
  );
  assert.ok(
    problems.some((p) =>
      p.includes('Conversation__c.Summary__c is editable but the service never writes it'),
    ),
  );
});

test('the integration check asks for Modify All on Opportunity, whose sharing is Private', () => {
  const model = withIntegration((set) => {
    onlyWritten(set);
    const opportunity = set.objectPermissions.find((a) => a.object === 'Opportunity');
    opportunity.modifyAllRecords = false;
  });
  assert.match(
    integrationAccessProblems(model, WRITTEN, SUGGESTED).join('\n'),
    /Opportunity sharing is Private .* grant Modify All/,
  );
});

test('the integration check asks for Modify All on the package objects a rep owns, whose sharing is Private', () => {
  // Suggestions, provenance, conversations and actions belong to the deal's owner; the service
  // updates them afterwards, which a Private object allows only with Modify All.
  const written = { ...WRITTEN, Suggestion__c: ['Status__c'], Field_Provenance__c: ['New_Value__c'] };
  const model = withIntegration((set) => {
    set.fieldPermissions = set.fieldPermissions.filter((grant) => {
      const [objectName, fieldName] = grant.field.split('.');
      return !grant.editable || (written[objectName] ?? []).includes(fieldName);
    });
    for (const access of set.objectPermissions) {
      if (['Suggestion__c', 'Next_Best_Action__c'].includes(access.object)) access.modifyAllRecords = false;
    }
  });
  assert.deepEqual(
    integrationAccessProblems(model, written, SUGGESTED).map((p) => p.replace(/ and .*;/, ';')),
    [
      `${INTEGRATION_PERMISSION_SET}: Next_Best_Action__c sharing is Private; grant Modify All on Next_Best_Action__c (or make its sharing Public Read/Write)`,
      `${INTEGRATION_PERMISSION_SET}: Suggestion__c sharing is Private; grant Modify All on Suggestion__c (or make its sharing Public Read/Write)`,
    ],
  );
});

test('the integration check catches a policy field the service list lacks', () => {
  const written = { ...WRITTEN, Opportunity: WRITTEN.Opportunity.filter((f) => f !== 'Budget__c') };
  const model = withIntegration(onlyWritten);
  const problems = integrationAccessProblems(model, written, SUGGESTED);
  assert.ok(problems.some((p) => p.includes('a policy lets the service apply Opportunity.Budget__c')));
});

test('a policy on a suggested-only contact field needs it readable by the integration user, not written', () => {
  const model = withIntegration(onlyWritten);
  assert.deepEqual(integrationAccessProblems(model, WRITTEN, SUGGESTED), []);
  const unreadable = withIntegration((set) => {
    onlyWritten(set);
    set.fieldPermissions = set.fieldPermissions.filter((g) => g.field !== 'Contact.MobilePhone');
  });
  const problems = integrationAccessProblems(unreadable, WRITTEN, SUGGESTED);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /compares Contact\.MobilePhone .*make it readable/);
  const notListed = integrationAccessProblems(model, WRITTEN, {});
  assert.ok(notListed.some((p) => p.includes('a policy lets the service apply Contact.Title')));
});

test('the integration check asks to read, never to edit, a field the service only suggests', () => {
  const model = withIntegration((set) => {
    onlyWritten(set);
    set.fieldPermissions = set.fieldPermissions.filter((g) => g.field !== 'Account.Tech_Stack__c');
  });
  assert.deepEqual(integrationAccessProblems(model, WRITTEN, SUGGESTED), [
    `${INTEGRATION_PERMISSION_SET}: the service compares Account.Tech_Stack__c with what a conversation says (force-app/main/configuration/customMetadata/Field_Policy.Account_Tech_Stack.md-meta.xml); make it readable`,
  ]);
});

// The service credential: the package's own files pass, and each way of shipping a secret or a
// dangling grant is caught.
const credentialFixture = () => {
  const external = {
    name: 'Service',
    where: 'Service.externalCredential-meta.xml',
    xml: {
      externalCredentialParameters: [
        { parameterName: 'Key_Holder', parameterType: 'NamedPrincipal', sequenceNumber: 1 },
        {
          parameterName: 'Authorization',
          parameterType: 'AuthHeader',
          parameterValue: "{!'Bearer ' & $Credential.Service.API_Key}",
        },
      ],
    },
  };
  const named = {
    name: 'Service',
    where: 'Service.namedCredential-meta.xml',
    xml: {
      namedCredentialType: 'SecuredEndpoint',
      namedCredentialParameters: [
        { parameterName: 'Url', parameterType: 'Url', parameterValue: 'https://service.invalid' },
        {
          parameterName: 'ExternalCredential',
          parameterType: 'Authentication',
          externalCredential: 'Service',
        },
      ],
    },
  };
  const admin = {
    name: 'Admin',
    where: 'Admin.permissionset-meta.xml',
    xml: {
      externalCredentialPrincipalAccesses: {
        enabled: true,
        externalCredentialPrincipal: 'Service-Key_Holder',
      },
    },
  };
  return {
    namedCredentials: [named],
    externalCredentials: [external],
    permissionSets: [admin],
    integrationPermissionSet: 'Integration',
  };
};

test('the service credential check passes a credential whose key comes from its principal', () => {
  assert.deepEqual(serviceCredentialProblems(credentialFixture()), []);
});

test('the service credential check catches a key written into the package', () => {
  const input = credentialFixture();
  input.externalCredentials[0].xml.externalCredentialParameters[1].parameterValue = 'Bearer 5f1c0ffee';
  assert.match(
    serviceCredentialProblems(input)[0] ?? '',
    /Authorization is sent with a value written in the package/,
  );
});

test('the service credential check catches a grant of a principal that does not exist, and one to the integration user', () => {
  const input = credentialFixture();
  input.permissionSets.push({
    name: 'Integration',
    where: 'Integration.permissionset-meta.xml',
    xml: {
      externalCredentialPrincipalAccesses: { enabled: true, externalCredentialPrincipal: 'Service-Other' },
    },
  });
  assert.deepEqual(serviceCredentialProblems(input), [
    'Integration.permissionset-meta.xml: grants principal Service-Other, which no external credential defines',
    'Integration.permissionset-meta.xml: the integration user calls the REST API and makes no callout; grant it no principal',
  ]);
});

test('the service credential check wants an https address and an external credential that exists', () => {
  const input = credentialFixture();
  input.namedCredentials[0].xml.namedCredentialParameters = [
    { parameterName: 'Url', parameterType: 'Url', parameterValue: 'http://service.example.com' },
    { parameterName: 'ExternalCredential', parameterType: 'Authentication', externalCredential: 'Missing' },
  ];
  assert.deepEqual(serviceCredentialProblems(input), [
    'Service.namedCredential-meta.xml: Service needs an https Url parameter',
    'Service.namedCredential-meta.xml: Service names external credential Missing, which does not exist',
  ]);
});

test("the package's own named credential, external credential and principal grants pass", () => {
  const model = loadForceApp();
  const files = (suffix, root) =>
    model.allFiles
      .filter((file) => file.endsWith(suffix))
      .map((file) => ({ name: path.basename(file, suffix), where: file, xml: parseXml(file)[root] }));
  const input = {
    namedCredentials: files('.namedCredential-meta.xml', 'NamedCredential'),
    externalCredentials: files('.externalCredential-meta.xml', 'ExternalCredential'),
    permissionSets: [...model.permissionSets.values()].map((set) => ({
      name: set.name,
      where: set.file,
      xml: set.xml,
    })),
    integrationPermissionSet: INTEGRATION_PERMISSION_SET,
  };
  assert.equal(input.namedCredentials.length, 1, 'the package ships one named credential');
  assert.ok(
    input.permissionSets.some((set) => set.xml.externalCredentialPrincipalAccesses),
    'a permission set grants its principal',
  );
  assert.deepEqual(serviceCredentialProblems(input), []);
});
