/** Great-circle distance, for the impossible-travel rule. */
import type { GeoLocation } from "../contract/transaction";

/** Mean Earth radius (IUGG), kilometres. */
const EARTH_RADIUS_KM = 6371.0088;

function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

/**
 * Haversine distance between two points, in kilometres. Accurate to ~0.5% (spherical Earth),
 * far better than the precision of the locations it is given.
 *
 * @example
 * haversineKm({ latitude: 40.6413, longitude: -73.7781 }, { latitude: 51.47, longitude: -0.4543 }); // ≈ 5555
 */
function haversineKm(from: GeoLocation, to: GeoLocation): number {
  const dLat = toRadians(to.latitude - from.latitude);
  const dLon = toRadians(to.longitude - from.longitude);
  const a =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRadians(from.latitude)) * Math.cos(toRadians(to.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export { EARTH_RADIUS_KM, haversineKm };
