/** The `source.part` values of a mail's own sections; attachments use their file names. */
export const HEADERS_PART = 'headers';
export const BODY_PART = 'body';
/** The closing list of attachments that were not indexed. */
export const NOT_INDEXED_PART = 'attachments';
