import { LightningElement, api } from 'lwc';
import { recordUpload } from 'preview/backend';

/**
 * The preview's lightning-file-upload (the npm base components do not ship it): the SLDS file selector
 * the platform shows; choosing a file finishes the "upload" at once with a preview document id.
 */
export default class FileUpload extends LightningElement {
  @api label;
  @api name;
  @api accept;
  @api recordId;
  @api disabled = false;
  @api multiple = false;

  get acceptList() {
    return Array.isArray(this.accept) ? this.accept.join(',') : this.accept;
  }

  handleChange(event) {
    const files = [...event.target.files].map((file, index) => ({
      name: file.name,
      documentId: `0695g00000PREV${String(index + 1).padStart(2, '0')}AAA`,
    }));
    recordUpload(files);
    this.dispatchEvent(new CustomEvent('uploadfinished', { detail: { files } }));
  }
}
