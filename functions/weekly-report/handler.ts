// Placeholder until the weekly-report service lands; replaced by a middy handler over shared/services.
export const handler = async (): Promise<never> => {
  throw new Error('weekly-report: not implemented yet');
};
