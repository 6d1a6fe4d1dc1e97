import { randomUUID } from 'node:crypto';
import { addCalendarDays, compareIsoDates, type IsoDate } from '../../domain/calendar-date.ts';
import { assessThreshold, type Agency } from '../../domain/threshold.ts';
import type { Batch, SeedContext } from './rows.ts';
import { behaviours, places } from './vocabulary.ts';

/** Adds a made-up case's incident rows; returns the answers about them and the threshold advice given at submission. */
export function makeIncidents(context: SeedContext, batch: Batch, { id, receivedOn }: { id: string; receivedOn: IsoDate }) {
  const { random } = context;
  const incidentCount = random.weighted({ 1: 6, 2: 10, 3: 22, 4: 20, 5: 16, 6: 12, 7: 8, 8: 6 });
  const incidents: Array<{
    occurredOn: IsoDate;
    reportedOn: IsoDate | null;
    reportedTo: Agency[];
    approximate: boolean;
    description: string;
    location: string;
  }> = [];
  for (let position = 1; position <= Number(incidentCount); position += 1) {
    const occurredOn = addCalendarDays(receivedOn, -random.int(1, 220));
    const reportedTo: Agency[] = random.chance(0.05)
      ? []
      : (['council', 'police', 'landlord', 'other'] as const).filter((_, i) => random.chance(i === 0 ? 0.7 : 0.3));
    // Most are reported within days; some weeks later (the threshold flags those over a month).
    const delay = Number(random.weighted({ 0: 40, 1: 25, 7: 20, 40: 15 })) + random.int(0, 3);
    const reported = reportedTo.length ? addCalendarDays(occurredOn, delay) : null;
    const reportedOn = reported && compareIsoDates(reported, receivedOn) > 0 ? receivedOn : reported;
    incidents.push({
      occurredOn,
      reportedOn,
      reportedTo,
      approximate: random.chance(0.15),
      description: random.pick(behaviours),
      location: random.pick(places),
    });
  }
  const incidentsRelated = random.weighted({ yes: 80, 'not-sure': 12, no: 8 });
  const hateMotivated = random.weighted({ no: 85, yes: 8, 'not-sure': 7 });
  const householdsReporting = random.chance(0.3) ? random.int(1, 6) : null;
  const advice = assessThreshold({
    applicationDate: receivedOn,
    incidents: incidents.map((incident) => ({
      occurredOn: incident.occurredOn,
      occurredOnApproximate: incident.approximate,
      reportedTo: incident.reportedTo,
      reportedOn: incident.reportedOn,
      description: incident.description,
      location: incident.location,
    })),
    incidentsRelated,
    hateMotivated,
    householdsReporting,
  });
  incidents.forEach((incident, index) =>
    batch.incident.push({
      id: randomUUID(),
      case_id: id,
      position: index + 1,
      occurred_on: incident.occurredOn,
      occurred_on_approximate: incident.approximate,
      description: incident.description,
      location: incident.location,
      reported_to: incident.reportedTo,
      reported_to_other: incident.reportedTo.includes('other') ? 'The housing association' : null,
      reported_on: incident.reportedOn,
      reference:
        incident.reportedTo.includes('police') && random.chance(0.6) ? `CR/${random.int(10000, 99999)}/${receivedOn.slice(2, 4)}` : null,
    }),
  );
  return { incidentsRelated, hateMotivated, householdsReporting, advice };
}
