/**
 * S3's smallest part (except the last): the least memory a multipart upload can hold. Its own
 * module so both blob stores (the SDK's and the signed-HTTP one) share it without loading each other.
 */
export const MULTIPART_PART_BYTES = 5 * 1024 * 1024;
