import { DomainError, deleteFile } from "@dsc/core";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { DeleteFileInputSchema } from "./files-input.ts";

/**
 * Deletes a file, its record and then its bytes, audited. Compliance officers may too: removing
 * data no longer needed is data minimisation, theirs to practise.
 */
export const deleteFileProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER")
  .input(DeleteFileInputSchema)
  .mutation(async ({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    if (!ctx.fileStorage) {
      throw new DomainError(
        "unavailable",
        "File storage is not configured for the dashboard, so files cannot be deleted here.",
      );
    }
    const { id, storageError } = await deleteFile(
      { db: ctx.db, clock: ctx.clock, storage: ctx.fileStorage },
      { organizationId: input.organizationId, fileId: input.fileId, actor: actorOf(ctx) },
    );
    // the record is gone, so the file is; the orphan sweep removes bytes a failed delete left
    return { id, bytesDeleted: storageError === null };
  });
