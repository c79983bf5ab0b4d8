// Adds `await expect(element).toBeAccessible()` (axe rules as Salesforce applies them) to every LWC test.
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
