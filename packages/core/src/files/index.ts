export { type ByteMeter, createByteMeter, fileTooLarge } from "./byte-meter.ts";
export { type DeleteFileInput, deleteFile } from "./delete-file.ts";
export { createDiskFileStorage } from "./disk-file-storage.ts";
export { type FileDeps, liveFilesWhere } from "./file-deps.ts";
export { checkFilename, MAX_FILENAME_BYTES } from "./file-name.ts";
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
export {
  type PurgeExpiredFilesOptions,
  type PurgeExpiredFilesResult,
  purgeExpiredFiles,
} from "./purge-expired-files.ts";
export { fileNotFound, retrieveFile } from "./retrieve-file.ts";
export { createS3FileStorage, type S3FileStorageOptions } from "./s3-file-storage.ts";
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
