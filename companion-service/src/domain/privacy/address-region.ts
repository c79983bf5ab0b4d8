/**
 * Where a Contact or Lead is, as the consent rules name places (ISO 3166-2 such as US-CA, or a
 * country such as DE), from the mailing state and country as reps type them: codes ("CA", "US") or
 * names ("California", "United States"). Country names are read through the runtime's own region
 * names (Intl.DisplayNames), US states through the table below (the places the shipped consent
 * jurisdictions name). A US state with no country is read as the US: orgs often leave the country of
 * a domestic address empty, and reading it as unknown would let the recording through.
 */

/** The people of a meeting to look up in the org: its participants' emails and the names it labels speakers with. */
export interface MeetingPeople {
  emails: string[];
  names: string[];
}

/** A person the org knows, with the mailing state and country the CRM has for them. */
export interface PlacedPerson {
  name: string | null;
  email: string | null;
  state: string | null;
  country: string | null;
}

const US_STATES: Readonly<Record<string, string>> = {
  ALABAMA: 'AL',
  ALASKA: 'AK',
  ARIZONA: 'AZ',
  ARKANSAS: 'AR',
  CALIFORNIA: 'CA',
  COLORADO: 'CO',
  CONNECTICUT: 'CT',
  DELAWARE: 'DE',
  'DISTRICT OF COLUMBIA': 'DC',
  FLORIDA: 'FL',
  GEORGIA: 'GA',
  HAWAII: 'HI',
  IDAHO: 'ID',
  ILLINOIS: 'IL',
  INDIANA: 'IN',
  IOWA: 'IA',
  KANSAS: 'KS',
  KENTUCKY: 'KY',
  LOUISIANA: 'LA',
  MAINE: 'ME',
  MARYLAND: 'MD',
  MASSACHUSETTS: 'MA',
  MICHIGAN: 'MI',
  MINNESOTA: 'MN',
  MISSISSIPPI: 'MS',
  MISSOURI: 'MO',
  MONTANA: 'MT',
  NEBRASKA: 'NE',
  NEVADA: 'NV',
  'NEW HAMPSHIRE': 'NH',
  'NEW JERSEY': 'NJ',
  'NEW MEXICO': 'NM',
  'NEW YORK': 'NY',
  'NORTH CAROLINA': 'NC',
  'NORTH DAKOTA': 'ND',
  OHIO: 'OH',
  OKLAHOMA: 'OK',
  OREGON: 'OR',
  PENNSYLVANIA: 'PA',
  'RHODE ISLAND': 'RI',
  'SOUTH CAROLINA': 'SC',
  'SOUTH DAKOTA': 'SD',
  TENNESSEE: 'TN',
  TEXAS: 'TX',
  UTAH: 'UT',
  VERMONT: 'VT',
  VIRGINIA: 'VA',
  WASHINGTON: 'WA',
  'WEST VIRGINIA': 'WV',
  WISCONSIN: 'WI',
  WYOMING: 'WY',
};
const US_CODES = new Set(Object.values(US_STATES));
const US_ALIASES = new Set(['USA', 'U.S.', 'U.S.A.', 'UNITED STATES OF AMERICA', 'AMERICA']);

let countryNames: Map<string, string> | null = null;

/** English region names to ISO 3166-1 codes, built once from the runtime's own list. */
function countryCodeOfName(name: string): string | null {
  if (!countryNames) {
    countryNames = new Map();
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const display = names.of(code);
        if (display) countryNames.set(display.toUpperCase(), code);
      }
    }
  }
  return countryNames.get(name) ?? null;
}

const clean = (value: string | null | undefined) => (value ?? '').trim().replace(/\s+/g, ' ').toUpperCase();

function countryCode(country: string): string | null {
  if (/^[A-Z]{2}$/.test(country)) return country;
  if (US_ALIASES.has(country)) return 'US';
  return countryCodeOfName(country);
}

/** The place a mailing state and country name, most precise first; null when neither says. */
export function regionOfAddress(
  state: string | null | undefined,
  country: string | null | undefined,
): string | null {
  const s = clean(state);
  const c = clean(country);
  const usState = US_CODES.has(s) ? s : (US_STATES[s] ?? null);
  const code = c ? countryCode(c) : usState ? 'US' : null;
  if (!code) return null;
  if (code === 'US') return usState ? `US-${usState}` : 'US';
  // Elsewhere only a subdivision code is read (BE-VLG); a subdivision's name stays the country's.
  return /^[A-Z0-9]{1,3}$/.test(s) ? `${code}-${s}` : code;
}
