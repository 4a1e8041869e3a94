import { router } from "../procedure.ts";
import { changeFileExpiryProcedure } from "./change-file-expiry.ts";
import { deleteFileProcedure } from "./delete-file.ts";
import { listFilesProcedure } from "./list-files.ts";
import { summarizeFilesProcedure } from "./summarize-files.ts";

export const filesRouter = router({
  list: listFilesProcedure,
  summary: summarizeFilesProcedure,
  delete: deleteFileProcedure,
  changeExpiry: changeFileExpiryProcedure,
});
