"""The 19 communes of the Brussels-Capital Region and the region's outline.

Names in French and Dutch, postcodes and an approximate centroid per commune (NIS codes are the
keys). `in_brussels` tells whether a point lies in the region, using an outline generalised to
a few hundred metres: good enough to catch swapped coordinates, a project placed in Flanders or
a typo, not to settle a boundary dispute.
"""

from __future__ import annotations

from typing import Final

from vilco_core.model import Commune, LocalText


def _commune(code: str, fr: str, nl: str, postcodes: str, lat: float, lon: float) -> Commune:
    name = LocalText(fr=fr, nl=nl, en=fr)
    return Commune(code=code, name=name, postcodes=tuple(postcodes.split()), lat=lat, lon=lon)


COMMUNES: Final[tuple[Commune, ...]] = (
    _commune("21001", "Anderlecht", "Anderlecht", "1070", 50.8365, 4.2980),
    _commune("21002", "Auderghem", "Oudergem", "1160", 50.8156, 4.4331),
    _commune("21003", "Berchem-Sainte-Agathe", "Sint-Agatha-Berchem", "1082", 50.8644, 4.2950),
    _commune("21004", "Bruxelles", "Brussel", "1000 1020 1120 1130", 50.8467, 4.3525),
    _commune("21005", "Etterbeek", "Etterbeek", "1040", 50.8361, 4.3861),
    _commune("21006", "Evere", "Evere", "1140", 50.8717, 4.4036),
    _commune("21007", "Forest", "Vorst", "1190", 50.8103, 4.3178),
    _commune("21008", "Ganshoren", "Ganshoren", "1083", 50.8711, 4.3083),
    _commune("21009", "Ixelles", "Elsene", "1050", 50.8275, 4.3697),
    _commune("21010", "Jette", "Jette", "1090", 50.8778, 4.3256),
    _commune("21011", "Koekelberg", "Koekelberg", "1081", 50.8622, 4.3253),
    _commune("21012", "Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek", "1080", 50.8550, 4.3225),
    _commune("21013", "Saint-Gilles", "Sint-Gillis", "1060", 50.8267, 4.3456),
    _commune("21014", "Saint-Josse-ten-Noode", "Sint-Joost-ten-Node", "1210", 50.8536, 4.3733),
    _commune("21015", "Schaerbeek", "Schaarbeek", "1030", 50.8675, 4.3800),
    _commune("21016", "Uccle", "Ukkel", "1180", 50.8006, 4.3372),
    _commune("21017", "Watermael-Boitsfort", "Watermaal-Bosvoorde", "1170", 50.7989, 4.4167),
    _commune("21018", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe", "1200", 50.8467, 4.4286),
    _commune("21019", "Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe", "1150", 50.8297, 4.4317),
)

COMMUNES_BY_CODE: Final[dict[str, Commune]] = {c.code: c for c in COMMUNES}

# (lon, lat) vertices, clockwise from the northern tip at Neder-Over-Heembeek.
BRUSSELS_OUTLINE: Final[tuple[tuple[float, float], ...]] = (
    (4.403, 50.914),
    (4.430, 50.905),
    (4.445, 50.890),
    (4.437, 50.870),
    (4.455, 50.862),
    (4.470, 50.852),
    (4.482, 50.835),
    (4.470, 50.815),
    (4.455, 50.795),
    (4.440, 50.775),
    (4.410, 50.770),
    (4.380, 50.764),
    (4.345, 50.772),
    (4.310, 50.790),
    (4.290, 50.800),
    (4.255, 50.815),
    (4.244, 50.825),
    (4.268, 50.845),
    (4.275, 50.860),
    (4.285, 50.875),
    (4.300, 50.890),
    (4.330, 50.900),
    (4.370, 50.905),
)


def in_brussels(lat: float, lon: float) -> bool:
    """True when (lat, lon) lies inside the generalised outline of the region (ray casting)."""
    inside = False
    vertices = BRUSSELS_OUTLINE
    for (x1, y1), (x2, y2) in zip(vertices, vertices[1:] + vertices[:1], strict=True):
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < crossing:
                inside = not inside
    return inside
