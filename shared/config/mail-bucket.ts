/**
 * The mail bucket's layout: one description for the CDK stacks (notification filter, SES receipt
 * action, lifecycle rule, IAM grants), the services that name objects, and the local runtime, as
 * `shared/adapters/table-definition.ts` is for the table.
 */

/** Raw mail lands here (SES, or the local SMTP server); the inbound queue is notified for this prefix only. */
export const INBOUND_PREFIX = 'inbound/';
/** Attachments extracted by inbound-email, and uploaded files once checked (shared/services/uploads.ts). */
export const ATTACHMENTS_PREFIX = 'attachments/';
/** Files browsers upload straight to the bucket, before the desk has checked them; removed after a day. */
export const UPLOADS_PREFIX = 'uploads/';
