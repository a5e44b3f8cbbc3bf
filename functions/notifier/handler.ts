// Placeholder until the notifier service lands; replaced by a middy handler over shared/services.
export const handler = async (): Promise<never> => {
  throw new Error('notifier: not implemented yet');
};
