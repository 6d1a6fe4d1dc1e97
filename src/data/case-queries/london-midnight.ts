import { Prisma } from '../../generated/prisma/client.ts';
import type { IsoDate } from '../../domain/calendar-date.ts';

/** Start of a London calendar day, as an instant, in SQL. */
export const londonMidnight = (date: IsoDate, plusDays = 0) =>
  Prisma.sql`((${date}::date + ${plusDays}::int)::timestamp AT TIME ZONE 'Europe/London')`;
