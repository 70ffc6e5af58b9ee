/**
 * Request body limits (server.ts refuses larger bodies before anything reads them, so that large or
 * endless posts cannot grow memory). Forms are small: a note is 1,000 characters. The pages that take
 * a file (a session export to import, a field kit or bundle) allow more: a national session's export
 * carries every link to the local recommendations it draws on.
 */
export const MAX_FORM_BYTES = 256 * 1024;
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
/** The largest file those pages read (the rest of the body is the form around it). */
export const MAX_UPLOAD_FILE_BYTES = MAX_UPLOAD_BYTES - 64 * 1024;

/** The paths whose forms carry a file: the import page, the programme's field page, the laptop's. */
const UPLOAD_PATHS = [/^\/programmes\/[^/]+\/import\/?$/, /^\/programmes\/[^/]+\/field\/?$/, /^\/field\/?$/];

export function bodyLimitFor(pathname: string): number {
  return UPLOAD_PATHS.some((r) => r.test(pathname)) ? MAX_UPLOAD_BYTES : MAX_FORM_BYTES;
}
