export { ID_PREFIX, type IdKind, newId, randomBase62 } from "./public-id.ts";
