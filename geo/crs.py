"""Coordinate reference systems used across the atlas, defined once."""

from __future__ import annotations

#: Longitude/latitude on WGS84: what event files and the map use.
GEOGRAPHIC_CRS = "EPSG:4326"

#: Lambert azimuthal equal-area centred on the central Sahel. Equal-area everywhere, so unit areas
#: (km²) are exact; near the centre it also keeps distances within a fraction of a percent, which is
#: enough for the few-km snapping tolerance of the spatial join.
EQUAL_AREA_CRS = "+proj=laea +lat_0=15 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"

#: Azimuthal equidistant centred on the Mali–Burkina Faso–Niger tri-border area. Distances from any point
#: to nearby borders are within well under 1 % of the geodesic distance across the three countries.
DISTANCE_CRS = "+proj=aeqd +lat_0=14.5 +lon_0=0.5 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
