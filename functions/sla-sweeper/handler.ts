// Placeholder until the sla-sweeper service lands; replaced by a middy handler over shared/services.
export const handler = async (): Promise<never> => {
  throw new Error('sla-sweeper: not implemented yet');
};
