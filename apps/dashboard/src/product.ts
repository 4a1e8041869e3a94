/** The name people see in titles and headers; one place so pages cannot drift apart. */
export const PRODUCT_NAME = "Deep Seek Chat API — Dashboard";
