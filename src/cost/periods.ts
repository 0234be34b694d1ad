/** Budget periods in UTC: a day, an ISO week (from Monday) or a calendar month. */
export type Period = 'day' | 'week' | 'month';

export function periodStart(period: Period, now: number): Date {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'month') return new Date(Date.UTC(y, m, 1));
  const day = new Date(Date.UTC(y, m, d.getUTCDate()));
  if (period === 'week') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day;
}

export function periodEnd(period: Period, now: number): Date {
  const s = periodStart(period, now);
  if (period === 'month') return new Date(Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1));
  return new Date(s.getTime() + (period === 'week' ? 7 : 1) * 86_400_000);
}
