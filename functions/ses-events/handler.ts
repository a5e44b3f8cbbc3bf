// Placeholder until the ses-events service lands; replaced by a middy handler over shared/services.
export const handler = async (): Promise<never> => {
  throw new Error('ses-events: not implemented yet');
};
