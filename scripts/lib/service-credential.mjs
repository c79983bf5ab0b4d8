// How the package reaches its companion service: one named credential and its external credential,
// shipped without a secret (the admin enters the key in Setup), and reached only by the users the
// permission sets grant the principal to. https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_namedcredential.htm,
// https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_externalcredential.htm

const list = (value) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const PRINCIPAL_TYPES = new Set(['NamedPrincipal', 'PerUserPrincipal']);
/** Parameters whose value goes out with every callout: only a $Credential merge field may fill them. */
const SENT_PARAMETERS = new Set(['AuthHeader', 'AuthParameter', 'AuthProviderUrlQueryParameter']);

/**
 * The problems of the named and external credentials and of the permission sets' principal access.
 * @param {{ namedCredentials: {name: string, where: string, xml: object}[],
 *   externalCredentials: {name: string, where: string, xml: object}[],
 *   permissionSets: {name: string, where: string, xml: object}[], integrationPermissionSet: string }} input
 */
export function serviceCredentialProblems({
  namedCredentials,
  externalCredentials,
  permissionSets,
  integrationPermissionSet,
}) {
  const problems = [];
  const principals = new Map();
  for (const { name, where, xml } of externalCredentials) {
    const parameters = list(xml.externalCredentialParameters);
    const named = parameters.filter((p) => PRINCIPAL_TYPES.has(String(p.parameterType)));
    if (named.length === 0) problems.push(`${where}: ${name} has no principal to hold the key`);
    principals.set(name, new Set(named.map((p) => String(p.parameterName))));
    for (const parameter of parameters) {
      const value = parameter.parameterValue === undefined ? '' : String(parameter.parameterValue);
      if (SENT_PARAMETERS.has(String(parameter.parameterType)) && value && !value.includes('$Credential.')) {
        problems.push(
          `${where}: ${parameter.parameterName} is sent with a value written in the package; take it from a principal's authentication parameter ({!$Credential.${name}.<Name>}), which the admin sets in Setup`,
        );
      }
    }
  }
  for (const { name, where, xml } of namedCredentials) {
    if (String(xml.namedCredentialType) !== 'SecuredEndpoint') {
      problems.push(
        `${where}: ${name} must be a SecuredEndpoint named credential (legacy ones hold their secret)`,
      );
    }
    const parameters = list(xml.namedCredentialParameters);
    const url = parameters.find((p) => String(p.parameterType) === 'Url');
    if (!url || !/^https:\/\//.test(String(url.parameterValue ?? ''))) {
      problems.push(`${where}: ${name} needs an https Url parameter`);
    }
    const auth = parameters.find((p) => String(p.parameterType) === 'Authentication');
    if (!auth || !principals.has(String(auth.externalCredential))) {
      problems.push(
        `${where}: ${name} names external credential ${auth?.externalCredential}, which does not exist`,
      );
    }
  }
  for (const { name, where, xml } of permissionSets) {
    for (const access of list(xml.externalCredentialPrincipalAccesses)) {
      const [credential, principal] = String(access.externalCredentialPrincipal).split('-');
      if (!principals.get(credential)?.has(principal)) {
        problems.push(
          `${where}: grants principal ${access.externalCredentialPrincipal}, which no external credential defines`,
        );
      }
      if (name === integrationPermissionSet) {
        problems.push(
          `${where}: the integration user calls the REST API and makes no callout; grant it no principal`,
        );
      }
    }
  }
  return problems;
}
