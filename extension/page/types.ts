/** The page API types live in their own publishable package (extension/page-api); this is the extension's way in. */
export type * from '../page-api/index';
