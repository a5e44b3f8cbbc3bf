// Placeholder until the survey service lands; replaced by a middy handler over shared/services.
export const handler = async (): Promise<never> => {
  throw new Error('survey: not implemented yet');
};
