// The preview's entry: synthetic shadow first (the npm base components need it), then the gallery.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import Gallery from 'preview/gallery';

document.querySelector('#main').appendChild(createElement('preview-gallery', { is: Gallery }));
