export { type ByteMeter, createByteMeter, fileTooLarge } from "./byte-meter.ts";
export { type ChangeFileExpiryInput, changeFileExpiry } from "./change-file-expiry.ts";
export { type DeleteFileInput, deleteFile } from "./delete-file.ts";
export { createDiskFileStorage } from "./disk-file-storage.ts";
export { type FileDeps, liveFilesWhere } from "./file-deps.ts";
export { checkFilename, MAX_FILENAME_BYTES } from "./file-name.ts";
export { FILE_PURGE_INTERVAL_MINUTES, FILE_PURGE_SCHEDULE, nextFilePurgeAt } from "./file-purge-schedule.ts";
export { effectiveFileRetentionDays, latestFileExpiry } from "./file-retention.ts";
export {
  assertStorageKey,
  type FileStorage,
  isStorageKey,
  type StoredBytes,
  type StoredObject,
} from "./file-storage.ts";
export {
  checkFileStorageEnv,
  createFileStorageFromEnv,
  type FileStorageEnv,
  fileStorageEnvSchema,
} from "./file-storage-env.ts";
export { type ListFilesInput, listFiles, MAX_FILE_LIST_LIMIT } from "./list-files.ts";
export { openFileContent } from "./open-file-content.ts";
export type { OrganizationFileView } from "./organization-file-view.ts";
export {
  type PurgeExpiredFilesOptions,
  type PurgeExpiredFilesResult,
  purgeExpiredFiles,
} from "./purge-expired-files.ts";
export { fileNotFound, retrieveFile } from "./retrieve-file.ts";
export { createS3FileStorage, type S3FileStorageOptions } from "./s3-file-storage.ts";
export {
  FILE_SORTS,
  type FileSort,
  MAX_FILE_SEARCH_OFFSET,
  type OrganizationFilePage,
  type SearchOrganizationFilesInput,
  searchOrganizationFiles,
} from "./search-organization-files.ts";
export { type OrganizationFilesSummary, summarizeOrganizationFiles } from "./summarize-organization-files.ts";
export {
  type SweepFileOrphansOptions,
  type SweepFileOrphansResult,
  SweepRefusedError,
  sweepFileOrphans,
} from "./sweep-file-orphans.ts";
export {
  fileExpiry,
  normalizeContentType,
  type UploadFileInput,
  type UploadPart,
  uploadFile,
} from "./upload-file.ts";
