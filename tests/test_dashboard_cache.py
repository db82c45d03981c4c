"""The dashboard cache of a data folder: computed once by `warm_cache` (what `make run` does before Voilà
starts), read by every viewer's kernel instead of reading, benchmarking, ranking and validating again."""

from __future__ import annotations

import os
import pickle
import shutil

import pandas as pd
import pytest

from leaderkit.app import views as db
from leaderkit.app.paths import SAMPLE_DATA
from leaderkit.app.widgets import Tuner, WidgetError
from leaderkit.standards.benchmarking import benchmark
from leaderkit.standards.loading import load_baselines, load_standards


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    """A copy of the sample folder and a cache folder warmed for it."""
    root = tmp_path_factory.mktemp("cache")
    folder = root / "data"
    shutil.copytree(SAMPLE_DATA, folder, ignore=shutil.ignore_patterns("*.md", "platform"))
    before = os.environ.get(db.CACHE_ENV)
    os.environ[db.CACHE_ENV] = str(root / "cache")
    db._CACHE.clear()
    db.warm_cache(folder)
    yield folder, root / "cache"
    db._CACHE.clear()
    if before is None:
        os.environ.pop(db.CACHE_ENV, None)
    else:
        os.environ[db.CACHE_ENV] = before


def test_a_benchmark_pickles_as_its_result_tables():
    bm = benchmark(load_standards(SAMPLE_DATA / "standards.csv"), load_baselines(SAMPLE_DATA / "baselines.csv"))
    again = pickle.loads(pickle.dumps(bm))
    assert again.con is not bm.con and again.digest == bm.digest
    pd.testing.assert_frame_equal(again.standards, bm.standards)
    pd.testing.assert_frame_equal(again.indicators, bm.indicators)
    pd.testing.assert_frame_equal(again.adoption(["domain", "region"]), bm.adoption(["domain", "region"]))
    pd.testing.assert_frame_equal(again.violations(), bm.violations())


def test_a_kernel_reads_the_warm_data_with_the_expert_pages_results(warmed):
    folder, cache = warmed
    assert len(list(cache.glob("data-*.pickle"))) == 1
    db._CACHE.clear()  # a new kernel
    data = db.load_data(folder)
    a, b = db.default_pair(data, "洗涤机械")
    assert a in data._memo["tuner"] and (a, b) in data._memo["comparison"]
    fresh = db.load_data(folder, fresh=True)
    # the register is rebuilt from the folder's files, and the cached set-up refers to it
    assert data._memo["tuner"][a].prepared.register is data.register
    assert data.register.titles().equals(fresh.register.titles())
    assert data.register.events().drop(columns="recorded_at").equals(
        fresh.register.events().drop(columns="recorded_at"))
    view = db.ExpertPanelView(data)
    assert (view.a, view.b) == (a, b) and view.tuner.setup is data._memo["tuner"][a]
    assert view.comparison.comparison is data._memo["comparison"][a, b]
    reference = db.ExpertPanelView(fresh)
    assert sorted(view.tuner.threshold_sliders) == sorted(reference.tuner.threshold_sliders)
    assert view.tuned.leaders["standard_id"].tolist() == reference.tuned.leaders["standard_id"].tolist()
    assert view.comparison.comparison.metrics == reference.comparison.comparison.metrics
    # a slider still re-ranks from the cached prepared data
    (ind, level), slider = next(iter(view.tuner.threshold_sliders.items()))
    (_, _), ref_slider = next(iter(reference.tuner.threshold_sliders.items()))
    view.tuner.set_threshold(ind, level, slider.min)
    reference.tuner.set_threshold(ind, level, ref_slider.min)
    pd.testing.assert_frame_equal(view.tuned.table, reference.tuned.table)


def test_changed_files_are_never_read_from_an_older_cache(warmed):
    folder, _ = warmed
    path = folder / "standards.csv"
    good, stat = path.read_bytes(), path.stat()
    try:
        lines = good.decode("utf-8-sig").splitlines()
        path.write_text("\n".join(lines[:-40]) + "\n", encoding="utf-8")
        db._CACHE.clear()
        data = db.load_data(folder)
        assert "tuner" not in data._memo and len(data.standards) == len(load_standards(path))
    finally:
        path.write_bytes(good)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        db._CACHE.clear()
    assert "tuner" in db.load_data(folder)._memo  # the same files again: the cache is read


def test_a_damaged_cache_file_is_ignored(warmed):
    folder, cache = warmed
    path = next(cache.glob("data-*.pickle"))
    good = path.read_bytes()
    try:
        path.write_bytes(good[: len(good) // 2])
        db._CACHE.clear()
        data = db.load_data(folder)
        assert "tuner" not in data._memo and len(data.standards) == len(load_standards(folder / "standards.csv"))
    finally:
        path.write_bytes(good)
        db._CACHE.clear()


def test_a_tuner_refuses_the_set_up_of_another_scheme(warmed):
    folder, _ = warmed
    db._CACHE.clear()
    data = db.load_data(folder)
    a, b = db.default_pair(data, "洗涤机械")
    with pytest.raises(WidgetError) as err:
        Tuner(data.schemes[b], setup=db.tuner_setup_of(data, a))
    assert a in err.value.text.zh and b in err.value.text.en
