// Placeholder until the inbound-email service lands; replaced by a middy handler over shared/services.
export const handler = async (): Promise<never> => {
  throw new Error('inbound-email: not implemented yet');
};
