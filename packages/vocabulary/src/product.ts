/** The product's name as people see it: page titles, e-mails. One place so they cannot drift apart. */
export const PRODUCT_NAME = "Deep Seek Chat API";
