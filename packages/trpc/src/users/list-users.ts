import { listUsers } from "@dsc/core";
import { allowRoles } from "../procedure.ts";
import { ListUsersInputSchema } from "./users-input.ts";

export const listUsersProcedure = allowRoles("ADMIN")
  .input(ListUsersInputSchema)
  .query(({ ctx, input }) => listUsers(ctx, { ...input, search: input.search || undefined }));
