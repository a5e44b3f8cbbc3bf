import { addBusinessMinutes, addWallMinutes } from '../domain/calendar.js';
import { deadline } from '../domain/sla.js';
import { timerPolicyFrom, type TimerDeps } from '../domain/timers.js';
import type { DeskConfig } from '../config/load.js';

/** Binds the pure timer planning to the desk's SLA policy and calendar. */
export function timerDeps(config: DeskConfig): TimerDeps {
  return {
    deadline: (priority, kind, from) => deadline(priority, kind, from, config.sla, config.calendar),
    minutesLater: addWallMinutes,
    progressLater: config.sla.progressNotes.clock === 'business' ? (from, minutes) => addBusinessMinutes(from, minutes, config.calendar) : addWallMinutes,
    policy: timerPolicyFrom(config.sla, config.survey.windowDays),
  };
}
