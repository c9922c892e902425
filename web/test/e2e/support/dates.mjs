// Dates as the walks need them: the service runs on the real clock and the secretariats
// live in America/Mexico_City (UTC-6 all year), so "today" is Mexico's day.

// Today's date in the secretariat's zone, "2026-12-06".
export function todayInMexico() {
  return new Date(Date.now() - 6 * 3600 * 1000).toISOString().slice(0, 10);
}

// "2026-12-06" as a person reads it: "6 de diciembre de 2026".
export function spanishDate(iso) {
  const months = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} de ${months[m - 1]} de ${y}`;
}

// A walk holds a session "a few minutes from now" and expects every step on the same day
// in Mexico. When fewer than `minutes` are left of that day, waits until it has begun
// anew (at most `minutes`), so a run that starts just before midnight does not straddle it.
export async function roomLeftInTheDay(minutes) {
  const msOfDay = (Date.now() - 6 * 3600 * 1000) % 86_400_000;
  const left = 86_400_000 - msOfDay;
  if (left < minutes * 60_000) {
    console.log(`waiting ${Math.ceil(left / 1000)} s for Mexico's new day (a walk must not straddle midnight)`);
    await new Promise((resolve) => setTimeout(resolve, left + 5_000));
  }
}
