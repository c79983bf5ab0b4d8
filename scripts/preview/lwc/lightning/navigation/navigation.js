import { recordNavigation } from 'preview/backend';

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

function urlFor(pageReference) {
  if (pageReference.type === 'standard__recordPage') return `/${pageReference.attributes.recordId}`;
  return `#${encodeURIComponent(JSON.stringify(pageReference))}`;
}

/**
 * The preview's lightning/navigation: the gallery has no record pages to open, so a navigation is
 * written down and announced to the gallery (a `preview__navigate` event) instead of leaving the page.
 */
export function NavigationMixin(Base) {
  return class extends Base {
    [Navigate](pageReference, replace = false) {
      recordNavigation(pageReference);
      this.dispatchEvent(
        new CustomEvent('preview__navigate', {
          bubbles: true,
          composed: true,
          detail: { pageReference, replace },
        }),
      );
    }

    [GenerateUrl](pageReference) {
      return Promise.resolve(urlFor(pageReference));
    }
  };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;
