/** The real local runtime as a killable process group: shared with `npm run chaos` (chaos/local-process.ts). */
export * from '../../chaos/local-process.js';
