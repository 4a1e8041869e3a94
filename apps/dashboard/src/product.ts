import { PRODUCT_NAME as PLATFORM_PRODUCT_NAME } from "@dsc/vocabulary";

/** The name people see in titles and headers; one place so pages cannot drift apart. */
export const PRODUCT_NAME = `${PLATFORM_PRODUCT_NAME} — Dashboard`;
