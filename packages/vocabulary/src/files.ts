/** How the dashboard's list of an organization's files may be sorted. */
export const FILE_SORTS = ["created", "size", "expiry", "name"] as const;
export type FileSort = (typeof FILE_SORTS)[number];
