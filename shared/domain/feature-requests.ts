/**
 * Feature requests: the demand-analysis sheet. A request for a product change is its own record,
 * linked to the tickets that ask for it; every linked customer hears of each stage change.
 */

export const DEMAND_TYPES = ['new-feature', 'improvement', 'integration', 'performance', 'usability', 'other'] as const;
export type DemandType = (typeof DEMAND_TYPES)[number];

/** High: an answer within 24 h; medium: within 3 working days; low: no deadline. */
export const URGENCIES = ['high', 'medium', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const FEATURE_STAGES = ['received', 'investigating', 'in-development', 'in-test', 'released', 'declined'] as const;
export type FeatureStage = (typeof FEATURE_STAGES)[number];

export interface FeatureRequest {
  featureId: string;
  title: string;
  description: string;
  demandType: DemandType;
  urgency: Urgency;
  /** 1 (highest) to 5. */
  priority: number;
  customerBackground: { kind: 'new' | 'existing'; industry?: string };
  stage: FeatureStage;
  /** When the desk owes the first assessment, from the urgency. */
  respondBy?: string;
  /** YYYY-MM-DD, when the change is expected. */
  expectedDate?: string;
  /** The latest feedback sent to the customers who asked. */
  feedback?: string;
  ticketNos: string[];
  /** Distinct customers who asked (hashed contacts, never the address itself). */
  customerKeys: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

/** When the first assessment is due: 24 wall-clock hours for high, 3 working days for medium, none for low. */
export function respondByFor(urgency: Urgency, from: Date, clocks: { wallMinutesLater: (from: Date, minutes: number) => Date; workingDaysLater: (from: Date, days: number) => Date }): Date | undefined {
  if (urgency === 'high') return clocks.wallMinutesLater(from, 24 * 60);
  if (urgency === 'medium') return clocks.workingDaysLater(from, 3);
  return undefined;
}

/**
 * A stage change: forward through the stages, or to `declined` from anywhere but `released`.
 * Moving back (a test failed: in-test → in-development) is allowed too; `released` and `declined`
 * are final.
 */
export function canMoveTo(from: FeatureStage, to: FeatureStage): boolean {
  if (from === to) return false;
  if (from === 'released' || from === 'declined') return false;
  return true;
}
