import { addWallMinutes } from '../domain/calendar.js';
import { deadline } from '../domain/sla.js';
import { timerPolicyFrom, type TimerDeps } from '../domain/timers.js';
import type { DeskConfig } from '../config/load.js';

/** Binds the pure timer planning to the desk's SLA policy and calendar. */
export function timerDeps(config: DeskConfig): TimerDeps {
  return {
    deadline: (priority, kind, from) => deadline(priority, kind, from, config.sla, config.calendar),
    minutesLater: addWallMinutes,
    policy: timerPolicyFrom(config.sla, config.survey.windowDays),
  };
}
